import Testing
import NetSpec
@testable import Reference

/// The interpreter's convolution against a direct transcription of docs/quantization.md §3 (padding = zp_in,
/// wrapping int32 sums, one requantization), on random shapes, strides, paddings, groups and extreme values.
@Suite struct Int8ConvolutionCrossCheckTests {
    static func naive(_ c: Int8Convolution, _ input: [Int8], shape: Shape, zpIn: Int32, out: Shape, zpOut: Int32,
                      qmin: Int8, qmax: Int8) -> [Int8] {
        let rows = c.padding.amounts(input: shape.height, kernel: c.kernel.height, stride: c.stride.height)
        let cols = c.padding.amounts(input: shape.width, kernel: c.kernel.width, stride: c.stride.width)
        let inPerGroup = shape.channels / c.groups, outPerGroup = c.outputChannels / c.groups
        var result: [Int8] = []
        for oc in 0..<c.outputChannels {
            for oy in 0..<out.height {
                for ox in 0..<out.width {
                    var acc = Int64(c.bias[oc])
                    for i in 0..<inPerGroup {
                        let ic = oc / outPerGroup * inPerGroup + i
                        for ky in 0..<c.kernel.height {
                            for kx in 0..<c.kernel.width {
                                let y = oy * c.stride.height + ky - rows.before, x = ox * c.stride.width + kx - cols.before
                                let inside = y >= 0 && y < shape.height && x >= 0 && x < shape.width
                                let q = inside ? Int64(input[(ic * shape.height + y) * shape.width + x]) : Int64(zpIn)
                                acc += q * Int64(c.weights[((oc * inPerGroup + i) * c.kernel.height + ky) * c.kernel.width + kx])
                            }
                        }
                    }
                    let m = c.requantization[oc]
                    let r = (acc * Int64(m.multiplier) + (Int64(1) << Int64(m.shift - 1))) >> Int64(m.shift)
                    result.append(Int8(min(max(r + Int64(zpOut), Int64(qmin)), Int64(qmax))))
                }
            }
        }
        return result
    }

    @Test func matchesTheDirectDefinitionOnRandomCases() {
        var g = SplitMix64(seed: 2024)
        func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(g.next() % UInt64(range.count)) }
        for _ in 0..<300 {
            let depthwise = g.next() % 3 == 0
            let inC = int(1...5), h = int(1...9), w = int(1...9)
            let kernel = Size2(int(1...min(4, h)), int(1...min(4, w)))
            let stride = Size2(int(1...3), int(1...3))
            let padding: Padding = g.next() % 2 == 0 ? .same : .valid
            let groups = depthwise ? inC : 1
            let outC = depthwise ? inC * int(1...3) : int(1...6)
            let shape = Shape(channels: inC, height: h, width: w)
            let rows = padding.amounts(input: h, kernel: kernel.height, stride: stride.height)
            let cols = padding.amounts(input: w, kernel: kernel.width, stride: stride.width)
            let out = Shape(channels: outC, height: rows.output, width: cols.output)
            let perChannel = inC / groups * kernel.height * kernel.width
            // Extremes are likely: ±127 weights, −128/127 activations.
            let weights = (0..<(outC * perChannel)).map { _ in g.next() % 4 == 0 ? (g.next() % 2 == 0 ? Int8(127) : -127) : Int8(truncatingIfNeeded: g.next() % 255) &- 127 }
            let input = (0..<shape.elementCount).map { _ in Int8(truncatingIfNeeded: g.next()) }
            let multipliers = (0..<outC).map { _ in FixedPointMultiplier(multiplier: Int32(1 << 30) + Int32(g.next() % (1 << 30)), shift: Int32(int(20...40))) }
            let conv = Int8Convolution(kernel: kernel, stride: stride, padding: padding, groups: groups, outputChannels: outC,
                                       weights: weights, bias: (0..<outC).map { _ in Int32(int(0...200_000)) - 100_000 },
                                       requantization: multipliers, weightScales: Array(repeating: 1, count: outC))
            let zpIn = Int32(int(0...255)) - 128, zpOut = Int32(int(0...255)) - 128
            let qmin: Int8 = g.next() % 2 == 0 ? .min : Int8(zpOut)
            let fast = Int8Interpreter.convolution(conv, input, shape: shape, zpIn: zpIn, out: out, zpOut: zpOut, qmin: qmin, qmax: .max)
            let slow = Self.naive(conv, input, shape: shape, zpIn: zpIn, out: out, zpOut: zpOut, qmin: qmin, qmax: .max)
            #expect(fast == slow, "in \(shape) kernel \(kernel) stride \(stride) \(padding) groups \(groups) out \(outC)")
            if fast != slow { return }
        }
    }
}
