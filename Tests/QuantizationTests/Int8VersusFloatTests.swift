import Testing
import NetSpec
import ModelIO
@testable import Quantization
@testable import Reference

/// The int8 interpreter against the float interpreter. Per layer: the float op applied to the *dequantized* int8
/// inputs with the *dequantized* weights and bias must land within half an output step (s_out / 2, the one
/// rounding) of the dequantized int8 output, after clamping to the representable range. End to end: SQNR.
@Suite struct Int8VersusFloatTests {
    static let strided = """
        network strided
        input 2x9x9 scale=1/255
        conv2d filters=5 kernel=3 stride=2 activation=relu
        conv2d filters=4 kernel=2 stride=1 padding=same
        avgpool size=3 stride=2 padding=same
        flatten
        dense units=10 activation=relu
        dense units=10
        """

    static func quantized(_ source: String, method: CalibrationMethod = .minMax, images: Int = 16)
        throws -> (network: Network, parameters: [String: Tensor], output: QuantizationPipeline.Output) {
        let network = try NetworkSpec.parse(source, file: "test.spec")
        let parameters = TestNetworks.parameters(for: network, seed: 99)
        let pixels = TestNetworks.pixels(count: images, perImage: network.input.shape.elementCount, seed: 8)
        let output = try QuantizationPipeline.quantize(network: network, specSource: source, parameters: parameters,
                                                       weightsSHA256: String(repeating: "0", count: 64),
                                                       calibrationPixels: pixels, count: images, method: method, batchSize: 5)
        return (network, parameters, output)
    }

    /// Real-valued parameters of an int8 layer: s_w·q_w and the bias the int32 bias stands for.
    static func dequantizedParameters(_ layer: Int8Layer, input: Int8Quantization) -> [String: Tensor]? {
        let weights: [Int8], bias: [Int32], scales: [Double], shape: [Int]
        switch layer.op {
        case .convolution(let c):
            (weights, bias, scales) = (c.weights, c.bias, c.weightScales)
            shape = [c.outputChannels, layer.inputShapes[0].channels / c.groups, c.kernel.height, c.kernel.width]
        case .dense(let d):
            (weights, bias, scales, shape) = (d.weights, d.bias, d.weightScales, [d.units, d.inputFeatures])
        default:
            return nil
        }
        let perChannel = weights.count / scales.count
        var w: [Float] = [], b: [Float] = []
        for c in scales.indices {
            let row = weights[(c * perChannel)..<((c + 1) * perChannel)]
            w += row.map { Float(scales[c] * Double($0)) }
            let sum = row.reduce(Int64(0)) { $0 + Int64($1) }
            b.append(Float(Double(Int64(bias[c]) + Int64(input.zeroPoint) * sum) * input.scale * scales[c]))
        }
        return ["\(layer.name).weight": Tensor(shape: shape, scalars: w), "\(layer.name).bias": Tensor(shape: [scales.count], scalars: b)]
    }

    /// The folded float layer `index` alone, reading a [C,H,W] (or flat) input.
    static func singleLayer(_ folded: Network, _ index: Int) -> Network {
        var layer = folded.layers[index]
        layer.inputs = [.networkInput]
        let input = InputSpec(shape: layer.inputShapes[0], location: SourceLocation(file: "t", line: 1, column: 1))
        return Network(name: layer.name, file: "t", input: input, labels: folded.labels, layers: [layer])
    }

    @Test(arguments: [TestNetworks.small, TestNetworks.branchy, strided])
    func everyLayerIsWithinHalfAnOutputStep(source: String) throws {
        let (_, _, output) = try Self.quantized(source)
        let model = output.artifact.model
        let folded = output.folded.network
        let interpreter = try Int8Interpreter(model: model)
        let pixels = TestNetworks.pixels(count: 3, perImage: model.inputShape.elementCount, seed: 77)
        for image in 0..<3 {
            let input = Int8Interpreter.quantizeInput(Array(pixels[(image * model.inputShape.elementCount)..<((image + 1) * model.inputShape.elementCount)]))
            let outputs = try interpreter.runAll(input: input)
            func values(_ source: LayerInput) -> [Int8] {
                if case .layer(let i) = source { return outputs[i] }
                return input
            }
            for (i, layer) in model.layers.enumerated() {
                let inputs = layer.inputs.map(values)
                let inQ = layer.inputs.map(model.quantization(of:))
                let real = zip(inputs, inQ).map { q, quantization in q.map(quantization.dequantize) }
                let expected: [Float]
                switch layer.op {
                case .add:
                    expected = (0..<real[0].count).map { e in real.reduce(0) { $0 + $1[e] } }
                case .concat:
                    expected = real.flatMap { $0 }
                default:
                    let parameters = Self.dequantizedParameters(layer, input: inQ[0]) ?? [:]
                    let single = try FloatInterpreter(network: Self.singleLayer(folded, i), parameters: parameters)
                    expected = try single.run(Tensor(shape: [1] + layer.inputShapes[0].dims, scalars: real[0])).scalars
                }
                let q = layer.output
                let low = q.dequantize(layer.qmin), high = q.dequantize(layer.qmax)
                let reluFloor: Float = layer.op.fusedActivation(layer) ? 0 : -.infinity
                for (e, y) in expected.enumerated() {
                    let target = min(max(max(y, reluFloor), low), high)
                    let error = abs(q.dequantize(outputs[i][e]) - target)
                    let tolerance = Float(q.scale) * 0.5001 + 1e-5 * (1 + abs(y))
                    if error > tolerance {
                        Issue.record("\(layer.name) [\(layer.op.kindName)] element \(e): int8 \(q.dequantize(outputs[i][e])) vs float \(target), error \(error) > \(tolerance)")
                        break
                    }
                }
            }
        }
    }

    @Test(arguments: [TestNetworks.small, TestNetworks.branchy, strided])
    func endToEndLogitsTrackFloat(source: String) throws {
        let (network, parameters, output) = try Self.quantized(source, method: .auto)
        let evaluationPixels = TestNetworks.pixels(count: 10, perImage: network.input.shape.elementCount, seed: 5)
        let evaluation = try QuantizedEvaluation.run(model: output.artifact.model, folded: output.folded,
                                                    pixels: evaluationPixels, labels: Array(0..<10), batchSize: 4)
        let logits = try #require(evaluation.meters.last?.sqnr)
        #expect(logits > 20, "end-to-end logits SQNR \(logits) dB")
        #expect(evaluation.count == 10 && evaluation.floatPredictions.count == 10)
        _ = parameters
    }
}

private extension Int8Operation {
    /// Whether a ReLU applies to this layer's float result (fused clamp or standalone relu).
    func fusedActivation(_ layer: Int8Layer) -> Bool {
        if case .relu = self { return true }
        return layer.qmin != .min && Int32(layer.qmin) == layer.output.zeroPoint
    }
}
