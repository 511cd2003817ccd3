import Testing
import NetSpec
@testable import Reference

/// Hand-computed int8 results for each operation (values written as zero point + real steps).
@Suite struct Int8InterpreterOpTests {
    static let image: [Int32] = [1, 2, 3, 4, 5, 6, 7, 8, 9]   // real steps of a 1x3x3 map
    static func q(_ steps: [Int32], zp: Int32) -> [Int8] { steps.map { Int8($0 + zp) } }
    static func layer(_ op: Int8Operation, inputs: [Shape], output: Shape, zp: Int32, qmin: Int8 = .min) -> Int8Layer {
        Int8Layer(name: "l", op: op, inputs: inputs.map { _ in .networkInput }, inputShapes: inputs, outputShape: output,
                  output: Int8Quantization(scale: 1, zeroPoint: zp), qmin: qmin)
    }
    static let map3 = Shape(channels: 1, height: 3, width: 3)

    @Test func samePaddedConvolutionPadsWithTheInputZeroPoint() {
        let conv = Int8Convolution(kernel: Size2(square: 3), stride: Size2(square: 1), padding: .same, groups: 1,
                                   outputChannels: 1, weights: [Int8](repeating: 1, count: 9),
                                   bias: [5 * 9],   // −zp_in · Σw with zp_in = −5
                                   requantization: [.identity], weightScales: [1])
        let out = Int8Interpreter.evaluate(Self.layer(.convolution(conv), inputs: [Self.map3], output: Self.map3, zp: 0),
                                           [Self.q(Self.image, zp: -5)], [-5])
        #expect(out == [12, 21, 16, 27, 45, 33, 24, 39, 28])
    }

    @Test func fusedReLUClampsAtTheOutputZeroPoint() {
        let conv = Int8Convolution(kernel: Size2(square: 1), stride: Size2(square: 1), padding: .valid, groups: 1,
                                   outputChannels: 1, weights: [-1], bias: [0], requantization: [.identity], weightScales: [1])
        let out = Int8Interpreter.evaluate(Self.layer(.convolution(conv), inputs: [Self.map3], output: Self.map3, zp: -20, qmin: -20),
                                           [Self.q([-3, -1, 0, 1, 3, 50, 107, 108, -128], zp: 0)], [0])
        #expect(out == [-17, -19, -20, -20, -20, -20, -20, -20, 108])   // −(−128) − 20
    }

    @Test func depthwiseReadsOneInputChannelPerGroup() {
        let shape = Shape(channels: 2, height: 1, width: 2)
        let conv = Int8Convolution(kernel: Size2(square: 1), stride: Size2(square: 1), padding: .valid, groups: 2,
                                   outputChannels: 4, weights: [1, 2, 3, -1], bias: [0, 0, 0, 0],
                                   requantization: [.identity, .identity, .identity, .identity], weightScales: [1, 1, 1, 1])
        let out = Int8Interpreter.evaluate(Self.layer(.convolution(conv), inputs: [shape], output: Shape(channels: 4, height: 1, width: 2), zp: 0),
                                           [[1, 2, 10, 20]], [0])
        #expect(out == [1, 2, 2, 4, 30, 60, -10, -20])
    }

    @Test func avgPoolDividesByTheNonPaddedCountWithTiesUp() {
        let pool = PoolAttributes(size: Size2(square: 2), padding: .same)
        let half = FixedPointMultiplier(multiplier: 1 << 30, shift: 31)
        let quarter = FixedPointMultiplier(multiplier: 1 << 30, shift: 32)
        let third = FixedPointMultiplier(multiplier: 1_431_655_765, shift: 32)
        let op = Int8Operation.avgPool(pool, multipliers: [.identity, half, third, quarter])
        let out = Int8Interpreter.evaluate(Self.layer(op, inputs: [Self.map3], output: Shape(channels: 1, height: 2, width: 2), zp: 3),
                                           [Self.q(Self.image, zp: -5)], [-5])
        #expect(out == [6, 8, 11, 12])   // 3 + 12/4, 3 + 9/2 (4.5 → 5), 3 + 15/2 (7.5 → 8), 3 + 9/1
    }

    @Test func maxPoolIgnoresPadding() {
        let op = Int8Operation.maxPool(PoolAttributes(size: Size2(square: 2), padding: .same))
        let out = Int8Interpreter.evaluate(Self.layer(op, inputs: [Self.map3], output: Shape(channels: 1, height: 2, width: 2), zp: 100),
                                           [Self.q(Self.image, zp: -100)], [-100])
        #expect(out == [-95, -94, -92, -91])
    }

    @Test func globalAvgPoolSumsThePlane() {
        let ninth = FixedPointMultiplier(multiplier: 1_908_874_354, shift: 34)   // ≈ 1/9
        let out = Int8Interpreter.evaluate(Self.layer(.globalAvgPool(ninth), inputs: [Self.map3], output: Shape(features: 1), zp: -1),
                                           [Self.q(Self.image, zp: 7)], [7])
        #expect(out == [4])   // 45/9 = 5, + zp −1
    }

    @Test func addRescalesBothInputsWithOneRounding() {
        let flat = Shape(features: 4)
        let op = Int8Operation.add(multipliers: [1 << 30, 1 << 29], shift: 31)   // 0.5 and 0.25
        let out = Int8Interpreter.evaluate(Self.layer(op, inputs: [flat, flat], output: flat, zp: 0),
                                           [Self.q([4, 3, 1, -1], zp: 10), Self.q([4, 2, 0, 0], zp: -10)], [10, -10])
        #expect(out == [3, 2, 1, 0])   // 3, 2, 0.5 → 1, −0.5 → 0
    }

    @Test func concatRequantizesEachInput() {
        let flat = Shape(features: 2)
        let half = FixedPointMultiplier(multiplier: 1 << 30, shift: 31)
        let out = Int8Interpreter.evaluate(Self.layer(.concat([.identity, half]), inputs: [flat, flat], output: Shape(features: 4), zp: 1),
                                           [Self.q([5, -6], zp: 2), Self.q([5, -5], zp: -3)], [2, -3])
        #expect(out == [6, -5, 4, -1])   // 5+1, −6+1, round(2.5)=3 +1, round(−2.5)=−2 +1
    }

    @Test func denseAndStandaloneReLU() {
        let dense = Int8Dense(inputFeatures: 3, units: 2, weights: [1, -1, 2, 0, 127, -127], bias: [10, -3],
                              requantization: [.identity, .identity], weightScales: [1, 1])
        let out = Int8Interpreter.evaluate(Self.layer(.dense(dense), inputs: [Shape(features: 3)], output: Shape(features: 2), zp: 0),
                                           [[1, 2, 3]], [0])
        #expect(out == [15, -128])   // 10 + 1 − 2 + 6; −3 + 254 − 381 = −130 → saturates
        let relu = Int8Interpreter.evaluate(Self.layer(.relu, inputs: [Shape(features: 3)], output: Shape(features: 3), zp: 4),
                                            [[3, 4, 5]], [4])
        #expect(relu == [4, 4, 5])
    }

    @Test func quantizedInputIsPixelMinus128() {
        #expect(Int8Interpreter.quantizeInput([0, 1, 127, 128, 255]) == [-128, -127, -1, 0, 127])
    }
}
