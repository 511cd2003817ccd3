import Testing
import NetSpec
@testable import Reference

@Suite struct Int8ModelValidationTests {
    static func model(weights: [Int8] = [1, -1], bias: [Int32] = [0], multiplier: FixedPointMultiplier = .identity,
                      zeroPoint: Int32 = 0, qmin: Int8 = .min) -> Int8Model {
        let dense = Int8Dense(inputFeatures: 2, units: 1, weights: weights, bias: bias, requantization: [multiplier], weightScales: [1])
        let layer = Int8Layer(name: "fc", op: .dense(dense), inputs: [.networkInput], inputShapes: [Shape(features: 2)],
                              outputShape: Shape(features: 1), output: Int8Quantization(scale: 0.5, zeroPoint: zeroPoint), qmin: qmin)
        return Int8Model(name: "m", labels: ["a"], inputShape: Shape(features: 2),
                         input: Int8Quantization(scale: 1, zeroPoint: 0), layers: [layer])
    }

    static func message(_ model: Int8Model) -> String {
        do {
            try model.validate()
            return "valid"
        } catch {
            return error.description
        }
    }

    @Test func acceptsAValidModelAndRejectsEachBrokenInvariant() {
        #expect(Self.message(Self.model()) == "valid")
        #expect(Self.message(Self.model(weights: [1])) == "layer 'fc' has 1 weights, expected 2")
        #expect(Self.message(Self.model(bias: [])) == "layer 'fc' has 0 biases, expected 1")
        #expect(Self.message(Self.model(weights: [-128, 0])) == "layer 'fc' channel 0 has weight -128, expected -127…127")
        #expect(Self.message(Self.model(multiplier: FixedPointMultiplier(multiplier: 5, shift: 64)))
            == "layer 'fc' multiplier #0 5·2^-64 needs multiplier ≥ 0 and shift in 1…63")
        #expect(Self.message(Self.model(multiplier: FixedPointMultiplier(multiplier: -1, shift: 3)))
            == "layer 'fc' multiplier #0 -1·2^-3 needs multiplier ≥ 0 and shift in 1…63")
        #expect(Self.message(Self.model(zeroPoint: 128)) == "layer 'fc' zero point 128 is outside -128…127")
        // |bias| + 128·Σ|w| = (2^31 − 1 − 255) + 256 overflows by one.
        #expect(Self.message(Self.model(bias: [Int32.max - 255])) == "layer 'fc' channel 0 can accumulate up to 2147483648, beyond int32")
        #expect(Self.message(Self.model(bias: [Int32.max - 256])) == "valid")
    }

    @Test func interpreterRejectsWrongInputSize() throws {
        let interpreter = try Int8Interpreter(model: Self.model())
        #expect(throws: Int8Interpreter.InputError.self) { try interpreter.runAll(input: [1, 2, 3]) }
        #expect(try interpreter.runAll(input: [10, 4]) == [[6]])   // 10·1 + 4·(−1)
        #expect(interpreter.dequantizedLogits([6]) == [3])
        #expect(interpreter.probabilities([3]) == [1])
    }
}
