import Testing
import ModelIO
import NetSpec
@testable import Reference

/// The interpreter's convolution against a second, deliberately naive one: copy the input into a bigger
/// zero-filled buffer with the padding worked out here (TensorFlow's rule, written out again), then slide the
/// kernel over it with no bounds checks at all.
@Suite struct ConvolutionCrossCheckTests {
    struct Case: CustomStringConvertible {
        var channels, height, width, filters, kernelHeight, kernelWidth, strideY, strideX: Int
        var same: Bool
        /// nil: ordinary convolution; otherwise a depthwise one with this multiplier.
        var multiplier: Int?
        var description: String {
            "\(multiplier.map { "depthwise×\($0)" } ?? "conv") \(channels)x\(height)x\(width) → \(filters) "
                + "kernel \(kernelHeight)x\(kernelWidth) stride \(strideY)x\(strideX) \(same ? "same" : "valid")"
        }
    }

    /// (before, after, output) for one axis, from the definition of padding=same: output = ceil(input / stride).
    static func padding(input: Int, kernel: Int, stride: Int, same: Bool) -> (Int, Int, Int) {
        guard same else { return (0, 0, (input - kernel) / stride + 1) }
        let output = (input + stride - 1) / stride
        let total = max(0, (output - 1) * stride + kernel - input)
        return (total / 2, total - total / 2, output)
    }

    static func naive(_ c: Case, x: [Float], n: Int, weight: [Float], bias: [Float]) -> [Float] {
        let (top, bottom, outHeight) = padding(input: c.height, kernel: c.kernelHeight, stride: c.strideY, same: c.same)
        let (left, right, outWidth) = padding(input: c.width, kernel: c.kernelWidth, stride: c.strideX, same: c.same)
        let paddedHeight = c.height + top + bottom
        let paddedWidth = c.width + left + right
        var result: [Float] = []
        for b in 0..<n {
            var padded = [Float](repeating: 0, count: c.channels * paddedHeight * paddedWidth)
            for ch in 0..<c.channels {
                for row in 0..<c.height {
                    for col in 0..<c.width {
                        padded[(ch * paddedHeight + row + top) * paddedWidth + col + left] =
                            x[((b * c.channels + ch) * c.height + row) * c.width + col]
                    }
                }
            }
            for f in 0..<c.filters {
                // Depthwise: filter f sees input channel f / multiplier only, through kernel slot 0.
                let channels: [(input: Int, slot: Int)] = c.multiplier.map { [(f / $0, 0)] }
                    ?? (0..<c.channels).map { ($0, $0) }
                let slots = c.multiplier == nil ? c.channels : 1
                for oy in 0..<outHeight {
                    for ox in 0..<outWidth {
                        var sum = bias[f]
                        for (input, slot) in channels {
                            for ky in 0..<c.kernelHeight {
                                for kx in 0..<c.kernelWidth {
                                    let w = weight[((f * slots + slot) * c.kernelHeight + ky) * c.kernelWidth + kx]
                                    sum += w * padded[(input * paddedHeight + oy * c.strideY + ky) * paddedWidth + ox * c.strideX + kx]
                                }
                            }
                        }
                        result.append(sum)
                    }
                }
            }
        }
        return result
    }

    static func randomCases(count: Int, generator: inout SeededGenerator) -> [Case] {
        var cases: [Case] = []
        while cases.count < count {
            let channels = Int.random(in: 1...3, using: &generator)
            let multiplier: Int? = Bool.random(using: &generator) ? Int.random(in: 1...3, using: &generator) : nil
            let c = Case(channels: channels, height: Int.random(in: 1...8, using: &generator),
                         width: Int.random(in: 1...8, using: &generator),
                         filters: multiplier.map { channels * $0 } ?? Int.random(in: 1...3, using: &generator),
                         kernelHeight: Int.random(in: 1...4, using: &generator),
                         kernelWidth: Int.random(in: 1...4, using: &generator),
                         strideY: Int.random(in: 1...3, using: &generator), strideX: Int.random(in: 1...3, using: &generator),
                         same: Bool.random(using: &generator), multiplier: multiplier)
            if c.same || (c.kernelHeight <= c.height && c.kernelWidth <= c.width) { cases.append(c) }
        }
        return cases
    }

    @Test func interpreterAgreesWithNaivePaddedConvolution() throws {
        var generator = SeededGenerator(state: 2026)
        let cases = Self.randomCases(count: 150, generator: &generator)
        #expect(cases.contains { $0.same && $0.multiplier == nil && $0.strideY > 1 })
        #expect(cases.contains { $0.multiplier ?? 0 > 1 })
        for c in cases {
            let layer = c.multiplier.map { "depthwise_conv2d multiplier=\($0)" } ?? "conv2d filters=\(c.filters)"
            let spec = """
                input \(c.channels)x\(c.height)x\(c.width)
                k: \(layer) kernel=\(c.kernelHeight)x\(c.kernelWidth) stride=\(c.strideY)x\(c.strideX) padding=\(c.same ? "same" : "valid")
                flatten
                """
            let n = 2
            let slots = c.multiplier == nil ? c.channels : 1
            let weightShape = [c.filters, slots, c.kernelHeight, c.kernelWidth]
            let weight = (0..<weightShape.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &generator) }
            let bias = (0..<c.filters).map { _ in Float.random(in: -1...1, using: &generator) }
            let x = (0..<(n * c.channels * c.height * c.width)).map { _ in Float.random(in: -1...1, using: &generator) }
            let net = try interpreter(spec, ["k.weight": t(weightShape, weight), "k.bias": t([c.filters], bias)])
            let got = try net.run(t([n, c.channels, c.height, c.width], x)).scalars
            let expected = Self.naive(c, x: x, n: n, weight: weight, bias: bias)
            try #require(got.count == expected.count, "\(c)")
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-5, "\(c): max difference \(worst)")
        }
    }
}
