import NetSpec
import ModelIO

/// A parameter the folding pass needs is missing or has the wrong size (the weights were not validated first).
public struct FoldingError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Rewrites a float network into the shape the int8 graph takes, staying in float so the rewrite can be checked
/// against the original: dropout removed; batchnorm folded into the conv/dense before it (when that layer feeds
/// only the batchnorm and has no activation); any other batchnorm becomes a 1x1 depthwise convolution (a
/// per-channel affine map); a ReLU fused into the layer before it when that layer computes a new tensor (conv,
/// depthwise, dense, add, concat) and feeds only the ReLU. Layer names are kept; a folded layer keeps the
/// conv/dense name and gains a bias.
public enum NetworkFolding {
    public struct Result: Sendable {
        public var network: Network
        public var parameters: [String: Tensor]
        /// For each folded layer, the original layers it stands for (e.g. ["conv1", "bn1", "relu1"]).
        public var origins: [[String]]
    }

    public static func fold(_ network: Network, parameters: [String: Tensor]) throws(FoldingError) -> Result {
        try fold(network, parameters: Optional(parameters))
    }

    /// The folded graph alone (what a `.q8` file's tensors are laid out by); no parameters needed.
    public static func foldedStructure(_ network: Network) -> Network {
        // Without parameters nothing can throw: every tensor lookup is skipped.
        (try? fold(network, parameters: nil).network) ?? network
    }

    static func fold(_ network: Network, parameters: [String: Tensor]?) throws(FoldingError) -> Result {
        let structureOnly = parameters == nil
        let parameters = parameters ?? [:]
        var layers: [Layer] = []
        var params: [String: Tensor] = [:]
        var origins: [[String]] = []
        var mapping: [LayerInput] = []          // original layer index → where its value lives now
        // Readers of each layer's value, looking through dropout (which disappears).
        func resolve(_ i: Int) -> Int {
            if case .dropout = network.layers[i].op, case .layer(let inner) = network.layers[i].inputs.first { return resolve(inner) }
            return i
        }
        var readers = [Int](repeating: 0, count: network.layers.count)
        for layer in network.layers {
            if case .dropout = layer.op { continue }
            for case .layer(let producer) in layer.inputs { readers[resolve(producer)] += 1 }
        }

        func tensor(_ name: String, _ count: Int) throws(FoldingError) -> [Float] {
            if structureOnly { return [Float](repeating: 1, count: count) }
            guard let t = parameters[name] else { throw FoldingError(description: "missing parameter '\(name)'") }
            guard t.count == count else {
                throw FoldingError(description: "parameter '\(name)' has \(t.count) values, expected \(count)")
            }
            return t.scalars
        }
        func remap(_ input: LayerInput) -> LayerInput {
            if case .layer(let i) = input { return mapping[i] }
            return input
        }
        /// The folded layer an original input maps to, if it may absorb its sole consumer.
        func absorbable(_ original: Layer, input: LayerInput) -> Int? {
            guard case .layer(let producer) = original.inputs.first, readers[resolve(producer)] == 1,
                  case .layer(let target) = input else { return nil }
            return target
        }

        for layer in network.layers {
            let inputs = layer.inputs.map(remap)
            switch layer.op {
            case .dropout:
                mapping.append(inputs[0])
                continue
            case .batchNorm(let bn):
                let channels = layer.outputShape.channels
                let gamma = try tensor("\(layer.name).weight", channels), beta = try tensor("\(layer.name).bias", channels)
                let mean = try tensor("\(layer.name).running_mean", channels)
                let variance = try tensor("\(layer.name).running_var", channels)
                // y = a·x + c with a = γ/√(var+ε), c = β − mean·a, in Double for the fold itself.
                let a = (0..<channels).map { Double(gamma[$0]) / (Double(variance[$0]) + Double(bn.epsilon)).squareRoot() }
                let c = (0..<channels).map { Double(beta[$0]) - Double(mean[$0]) * a[$0] }
                if let target = absorbable(layer, input: inputs[0]), layers[target].op.fusedActivation == .none,
                   let folded = try foldAffine(into: layers[target], a: a, c: c, parameters: &params, structureOnly: structureOnly) {
                    layers[target] = folded
                    origins[target].append(layer.name)
                    mapping.append(.layer(target))
                    continue
                }
                var affine = layer
                affine.inputs = inputs
                affine.op = .depthwiseConv2d(DepthwiseConv2DAttributes(multiplier: 1, kernel: Size2(square: 1), bias: true))
                params["\(layer.name).weight"] = Tensor(shape: [channels, 1, 1, 1], scalars: a.map(Float.init))
                params["\(layer.name).bias"] = Tensor(shape: [channels], scalars: c.map(Float.init))
                layers.append(affine)
                origins.append([layer.name])
            case .relu:
                if let target = absorbable(layer, input: inputs[0]), let fused = withReLU(layers[target]) {
                    layers[target] = fused
                    origins[target].append(layer.name)
                    mapping.append(.layer(target))
                    continue
                }
                var copy = layer
                copy.inputs = inputs
                layers.append(copy)
                origins.append([layer.name])
            default:
                var copy = layer
                copy.inputs = inputs
                for spec in layer.parameters {
                    params[spec.name] = Tensor(shape: spec.shape, scalars: try tensor(spec.name, spec.elementCount))
                }
                layers.append(copy)
                origins.append([layer.name])
            }
            mapping.append(.layer(layers.count - 1))
        }
        var folded = network
        folded.layers = layers
        return Result(network: folded, parameters: params, origins: origins)
    }

    /// Scales the layer's output channels by `a` and adds `c`: W' = a·W, b' = a·b + c. nil if the layer has no
    /// per-channel weights to fold into.
    private static func foldAffine(into layer: Layer, a: [Double], c: [Double],
                                   parameters: inout [String: Tensor], structureOnly: Bool) throws(FoldingError) -> Layer? {
        var result = layer
        switch layer.op {
        case .conv2d(var attributes):
            attributes.bias = true
            result.op = .conv2d(attributes)
        case .depthwiseConv2d(var attributes):
            attributes.bias = true
            result.op = .depthwiseConv2d(attributes)
        case .dense(var attributes):
            attributes.bias = true
            result.op = .dense(attributes)
        default:
            return nil
        }
        if structureOnly { return result }
        let weightName = "\(layer.name).weight", biasName = "\(layer.name).bias"
        guard let weight = parameters[weightName] else { throw FoldingError(description: "missing parameter '\(weightName)'") }
        let channels = a.count
        let perChannel = weight.count / max(channels, 1)
        var scaled = weight.scalars
        for ch in 0..<channels {
            for i in 0..<perChannel { scaled[ch * perChannel + i] = Float(Double(scaled[ch * perChannel + i]) * a[ch]) }
        }
        let bias = parameters[biasName]?.scalars ?? [Float](repeating: 0, count: channels)
        parameters[weightName] = Tensor(shape: weight.shape, scalars: scaled)
        parameters[biasName] = Tensor(shape: [channels], scalars: (0..<channels).map { Float(Double(bias[$0]) * a[$0] + c[$0]) })
        return result
    }

    private static func withReLU(_ layer: Layer) -> Layer? {
        var result = layer
        switch layer.op {
        case .conv2d(var a) where a.activation == .none:
            a.activation = .relu
            result.op = .conv2d(a)
        case .depthwiseConv2d(var a) where a.activation == .none:
            a.activation = .relu
            result.op = .depthwiseConv2d(a)
        case .dense(var a) where a.activation == .none:
            a.activation = .relu
            result.op = .dense(a)
        case .add(var a) where a.activation == .none:
            a.activation = .relu
            result.op = .add(a)
        case .concat(var a) where a.activation == .none:
            a.activation = .relu
            result.op = .concat(a)
        default:
            return nil
        }
        return result
    }
}
