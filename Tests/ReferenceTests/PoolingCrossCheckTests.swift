import Testing
import ModelIO
@testable import Reference

/// Pools against a naive version: the input is copied into a bigger buffer whose padding cells are marked empty
/// (nil), and each window reduces over its non-empty cells.
@Suite struct PoolingCrossCheckTests {
    static func naive(_ x: [Float], height: Int, width: Int, size: (Int, Int), stride: (Int, Int), same: Bool,
                      average: Bool) -> [Float] {
        let rows = ConvolutionCrossCheckTests.padding(input: height, kernel: size.0, stride: stride.0, same: same)
        let cols = ConvolutionCrossCheckTests.padding(input: width, kernel: size.1, stride: stride.1, same: same)
        let paddedWidth = width + cols.0 + cols.1
        var padded = [Float?](repeating: nil, count: (height + rows.0 + rows.1) * paddedWidth)
        for r in 0..<height {
            for c in 0..<width { padded[(r + rows.0) * paddedWidth + c + cols.0] = x[r * width + c] }
        }
        var y: [Float] = []
        for oy in 0..<rows.2 {
            for ox in 0..<cols.2 {
                var cells: [Float] = []
                for ky in 0..<size.0 {
                    for kx in 0..<size.1 {
                        if let v = padded[(oy * stride.0 + ky) * paddedWidth + ox * stride.1 + kx] { cells.append(v) }
                    }
                }
                y.append(average ? cells.reduce(0, +) / Float(cells.count) : cells.max() ?? .nan)
            }
        }
        return y
    }

    @Test func poolsAgreeWithNaivePaddedPools() throws {
        var generator = SeededGenerator(state: 99)
        var checked = 0
        while checked < 120 {
            let (h, w) = (Int.random(in: 1...7, using: &generator), Int.random(in: 1...7, using: &generator))
            let size = (Int.random(in: 1...3, using: &generator), Int.random(in: 1...3, using: &generator))
            let stride = (Int.random(in: 1...3, using: &generator), Int.random(in: 1...3, using: &generator))
            let same = Bool.random(using: &generator)
            let average = Bool.random(using: &generator)
            guard same || (size.0 <= h && size.1 <= w) else { continue }
            checked += 1
            let x = (0..<(h * w)).map { _ in Float.random(in: -1...0, using: &generator) }
            let spec = "input 1x\(h)x\(w)\n\(average ? "avgpool" : "maxpool") size=\(size.0)x\(size.1) "
                + "stride=\(stride.0)x\(stride.1) padding=\(same ? "same" : "valid")\nflatten\n"
            let got = try interpreter(spec).run(t([1, 1, h, w], x)).scalars
            let expected = Self.naive(x, height: h, width: w, size: size, stride: stride, same: same, average: average)
            try #require(got.count == expected.count, "\(spec)")
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-6, "\(spec): max difference \(worst)")
        }
    }
}
