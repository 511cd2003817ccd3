import Testing
import NetSpec
@testable import Training

@Suite struct AugmenterTests {
    static let input = InputSpec(shape: Shape(channels: 1, height: 5, width: 5), scale: 1, mean: 0, std: 1,
                                 location: SourceLocation(file: "t", line: 1, column: 1))

    /// A 5×5 image with one lit pixel at (row 2, column 1).
    static let pixels: [UInt8] = (0..<25).map { $0 == 2 * 5 + 1 ? 200 : 0 }

    func distort(_ options: TrainingConfiguration.Augmentation, seed: UInt64 = 1) -> [Float] {
        let augmenter = Augmenter(input: Self.input, options: options)
        var output = [Float](repeating: -1, count: 25)
        var random = RandomGenerator(seed: seed)
        Self.pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { augmenter.distort(source.baseAddress!, into: $0.baseAddress!, random: &random) }
        }
        return output
    }

    @Test func zeroRangesLeaveTheImageUnchanged() {
        let output = distort(.init(maxShift: 0, maxRotationDegrees: 0, maxScale: 0))
        #expect(output == Self.pixels.map(Float.init))
    }

    @Test func distortionsStayWithinTheirRangesAndKeepInk() {
        for seed in 1...50 {
            let output = distort(.init(maxShift: 1, maxRotationDegrees: 15, maxScale: 0.1), seed: UInt64(seed))
            let ink = output.reduce(0, +)
            // Bilinear resampling spreads the pixel but, scaled by at most ±10 %, keeps its mass roughly.
            #expect(ink > 200 * 0.7 && ink < 200 * 1.3, "seed \(seed): ink \(ink)")
            // Shift ≤ 1 px plus rotation about the centre by ≤ 15° cannot move the pixel 2 columns right.
            #expect(output[2 * 5 + 4] == 0, "seed \(seed)")
        }
    }

    @Test func sameStreamGivesTheSameDistortion() {
        let options = TrainingConfiguration.Augmentation.handwriting
        #expect(distort(options, seed: 3) == distort(options, seed: 3))
        #expect(distort(options, seed: 3) != distort(options, seed: 4))
    }
}
