import Testing
@testable import Quantization
import Reference

@Suite struct ScaleSelectionTests {
    @Test func activationRangesContainZero() {
        let relu = ScaleSelection.activation(lo: 0, hi: 2.55)
        #expect(abs(relu.scale - 0.01) < 1e-9 && relu.zeroPoint == -128)
        let symmetric = ScaleSelection.activation(lo: -1, hi: 1)
        #expect(symmetric.scale == 2.0 / 255 && symmetric.zeroPoint == 0)   // −128 − round(−127.5) = 0
        let negative = ScaleSelection.activation(lo: -2, hi: -1)            // widened to [−2, 0]
        #expect(negative.scale == 2.0 / 255 && negative.zeroPoint == 127)
        let positive = ScaleSelection.activation(lo: 1, hi: 3)              // widened to [0, 3]
        #expect(positive.scale == 3.0 / 255 && positive.zeroPoint == -128)
    }

    @Test func zeroRangeGetsUnitScale() {
        #expect(ScaleSelection.activation(lo: 0, hi: 0) == Int8Quantization(scale: 1, zeroPoint: 0))
        #expect(ScaleSelection.activation(lo: .nan, hi: .nan) == Int8Quantization(scale: 1, zeroPoint: 0))
    }

    @Test func quantizeRoundsAndSaturates() {
        let q = Int8Quantization(scale: 0.5, zeroPoint: -10)
        #expect(ScaleSelection.quantize(1.0, q) == -8)
        #expect(ScaleSelection.quantize(0.25, q) == -9)    // 0.5 → 1 (ties away from zero)
        #expect(ScaleSelection.quantize(1000, q) == 127)
        #expect(ScaleSelection.quantize(-1000, q) == -128)
    }

    @Test func perChannelWeightScales() {
        let weights: [Float] = [0.5, -1.0, 0.25,   0, 0, 0,   127, -0.5, 63.5]
        let (values, scales) = ScaleSelection.perChannelWeights(weights, channels: 3)
        #expect(scales == [1.0 / 127, 1, 1])
        #expect(values == [64, -127, 32,   0, 0, 0,   127, -1, 64])   // 63.5 → 64, −0.5 → −1 (ties away)
        #expect(!values.contains(-128))
    }
}
