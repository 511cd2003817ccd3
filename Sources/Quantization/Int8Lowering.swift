import NetSpec
import ModelIO
import Reference

/// Something in the network or its numbers that the int8 scheme cannot represent; one line naming the layer.
public struct QuantizationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Turns a folded float network (see `NetworkFolding`) plus one quantization per computed tensor into an
/// `Int8Model`. All floating point of the scheme happens here, at compile time.
public enum Int8Lowering {
    /// Whether a folded layer computes new values and so needs its own calibrated scale. Max pool, ReLU and
    /// flatten only select or reorder values and keep their input's scale; softmax is left in float.
    public static func needsCalibration(_ layer: Layer) -> Bool {
        switch layer.op {
        case .conv2d, .depthwiseConv2d, .dense, .avgPool, .globalAvgPool, .add, .concat, .batchNorm: true
        case .maxPool, .relu, .flatten, .dropout, .softmax: false
        }
    }

    /// Raw pixel p enters as q = p − 128. The model input is x = (p·scale − mean)/std = (scale/std)·(p − mean/scale),
    /// so s = scale/std and zp = round(mean/scale) − 128 (off by at most half a pixel level from the float input).
    public static func inputQuantization(_ input: InputSpec) throws(QuantizationError) -> Int8Quantization {
        let scale = Double(input.scale) / Double(input.std)
        let offset = (Double(input.mean) / Double(input.scale)).rounded()
        guard scale.isFinite, scale > 0, (0...255).contains(offset) else {
            throw QuantizationError("input scale=\(input.scale) mean=\(input.mean) std=\(input.std): int8 needs scale/std > 0 and mean/scale within the pixel range 0…255")
        }
        return Int8Quantization(scale: scale, zeroPoint: Int32(offset) - 128)
    }

    public static func lower(_ network: Network, parameters: [String: Tensor],
                             outputs: [Int: Int8Quantization]) throws(QuantizationError) -> Int8Model {
        let input = try inputQuantization(network.input)
        var layers: [Int8Layer] = []
        for (index, layer) in network.layers.enumerated() {
            if case .softmax = layer.op {
                guard index == network.layers.count - 1 else {
                    throw QuantizationError("layer '\(layer.name)': softmax is only supported as the last layer in int8")
                }
                continue
            }
            let inputQuantizations = layer.inputs.map { source -> Int8Quantization in
                switch source {
                case .networkInput: input
                case .layer(let i): layers[i].output
                }
            }
            let output: Int8Quantization
            if needsCalibration(layer) {
                guard let q = outputs[index] else { throw QuantizationError("layer '\(layer.name)' has no calibrated output range") }
                output = q
            } else {
                output = inputQuantizations[0]
            }
            let relu = layer.op.fusedActivation == .relu
            let op = try operation(layer, parameters: parameters, inputs: inputQuantizations, output: output)
            layers.append(Int8Layer(name: layer.name, op: op, inputs: layer.inputs, inputShapes: layer.inputShapes,
                                    outputShape: layer.outputShape, output: output,
                                    qmin: relu ? Int8(output.zeroPoint) : .min, qmax: .max))
        }
        let model = Int8Model(name: network.name, labels: network.labels, inputShape: network.input.shape,
                              input: input, layers: layers)
        do { try model.validate() } catch { throw QuantizationError(error.description) }
        return model
    }

    private static func multiplier(_ real: Double, _ layer: Layer) throws(QuantizationError) -> FixedPointMultiplier {
        do { return try FixedPointMultiplier(real: real, what: "layer '\(layer.name)'") }
        catch { throw QuantizationError(error.description) }
    }

    private static func operation(_ layer: Layer, parameters: [String: Tensor], inputs: [Int8Quantization],
                                  output: Int8Quantization) throws(QuantizationError) -> Int8Operation {
        switch layer.op {
        case .conv2d(let a):
            let w = try weighted(layer, parameters: parameters, channels: a.filters, input: inputs[0], output: output)
            return .convolution(Int8Convolution(kernel: a.kernel, stride: a.stride, padding: a.padding, groups: 1,
                                                outputChannels: a.filters, weights: w.values, bias: w.bias,
                                                requantization: w.multipliers, weightScales: w.scales))
        case .depthwiseConv2d(let a):
            let channels = layer.outputShape.channels
            let w = try weighted(layer, parameters: parameters, channels: channels, input: inputs[0], output: output)
            return .convolution(Int8Convolution(kernel: a.kernel, stride: a.stride, padding: a.padding,
                                                groups: layer.inputShapes[0].channels, outputChannels: channels,
                                                weights: w.values, bias: w.bias, requantization: w.multipliers,
                                                weightScales: w.scales))
        case .dense(let a):
            let w = try weighted(layer, parameters: parameters, channels: a.units, input: inputs[0], output: output)
            return .dense(Int8Dense(inputFeatures: layer.inputShapes[0].elementCount, units: a.units, weights: w.values,
                                    bias: w.bias, requantization: w.multipliers, weightScales: w.scales))
        case .maxPool(let pool):
            return .maxPool(pool)
        case .avgPool(let pool):
            var multipliers: [FixedPointMultiplier] = []
            for count in 1...(pool.size.height * pool.size.width) {
                multipliers.append(try multiplier(inputs[0].scale / (Double(count) * output.scale), layer))
            }
            return .avgPool(pool, multipliers: multipliers)
        case .globalAvgPool:
            let plane = layer.inputShapes[0].height * layer.inputShapes[0].width
            return .globalAvgPool(try multiplier(inputs[0].scale / (Double(plane) * output.scale), layer))
        case .add:
            // One shared shift, chosen for the largest input multiplier; the others are scaled to it.
            let reals = inputs.map { $0.scale / output.scale }
            let largest = try multiplier(reals.max() ?? 0, layer)
            let factor = Double(sign: .plus, exponent: Int(largest.shift), significand: 1)
            let multipliers = reals.map { Int32(min(($0 * factor).rounded(), Double(Int32.max))) }
            return .add(multipliers: multipliers, shift: largest.shift)
        case .concat:
            var multipliers: [FixedPointMultiplier] = []
            for q in inputs { multipliers.append(try multiplier(q.scale / output.scale, layer)) }
            return .concat(multipliers)
        case .relu:
            return .relu
        case .flatten:
            return .flatten
        case .batchNorm, .dropout, .softmax:
            throw QuantizationError("layer '\(layer.name)': \(layer.op.kind.keyword) must be folded before lowering to int8")
        }
    }

    struct Weighted {
        var values: [Int8]
        var scales: [Double]
        var bias: [Int32]
        var multipliers: [FixedPointMultiplier]
    }

    /// Per-channel int8 weights, the zero-point-folded int32 bias and the per-channel multipliers.
    static func weighted(_ layer: Layer, parameters: [String: Tensor], channels: Int, input: Int8Quantization,
                         output: Int8Quantization) throws(QuantizationError) -> Weighted {
        guard let weight = parameters["\(layer.name).weight"] else {
            throw QuantizationError("layer '\(layer.name)': missing parameter '\(layer.name).weight'")
        }
        let (values, scales) = ScaleSelection.perChannelWeights(weight.scalars, channels: channels)
        let floatBias = parameters["\(layer.name).bias"]?.scalars ?? [Float](repeating: 0, count: channels)
        let perChannel = values.count / max(channels, 1)
        var bias: [Int32] = []
        var multipliers: [FixedPointMultiplier] = []
        for c in 0..<channels {
            let sumW = values[(c * perChannel)..<((c + 1) * perChannel)].reduce(Int64(0)) { $0 + Int64($1) }
            let real = (Double(floatBias[c]) / (input.scale * scales[c])).rounded()
            let folded = real - Double(Int64(input.zeroPoint) * sumW)
            guard abs(folded) < Double(Int32.max) else {
                throw QuantizationError("layer '\(layer.name)' channel \(c): bias \(floatBias[c]) is \(real) input×weight steps, beyond int32")
            }
            bias.append(Int32(folded))
            multipliers.append(try multiplier(input.scale * scales[c] / output.scale, layer))
        }
        return Weighted(values: values, scales: scales, bias: bias, multipliers: multipliers)
    }
}
