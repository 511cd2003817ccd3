/// One tensor a layer needs from the weights file, named as PyTorch names `state_dict` entries.
public struct ParameterSpec: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, Codable {
        case weight
        case bias
        case runningMean = "running_mean"
        case runningVar = "running_var"
    }

    public var layer: String
    public var role: Role
    public var shape: [Int]
    /// Batchnorm running statistics are state, not trained by gradients.
    public var trainable: Bool

    public init(layer: String, role: Role, shape: [Int], trainable: Bool) {
        self.layer = layer
        self.role = role
        self.shape = shape
        self.trainable = trainable
    }

    /// `<layer>.<role>`, e.g. `conv2d.weight`, `bn1.running_var`.
    public var name: String { "\(layer).\(role.rawValue)" }
    public var elementCount: Int { shape.reduce(1, *) }
}

extension Layer {
    /// Tensors this layer needs: conv weights OIHW, dense weights [out, in], batchnorm gamma/beta/mean/var.
    public var parameters: [ParameterSpec] {
        func p(_ role: ParameterSpec.Role, _ shape: [Int], trainable: Bool = true) -> ParameterSpec {
            ParameterSpec(layer: name, role: role, shape: shape, trainable: trainable)
        }
        let inChannels = inputShapes.first?.channels ?? 0
        switch op {
        case .conv2d(let a):
            let weight = p(.weight, [a.filters, inChannels, a.kernel.height, a.kernel.width])
            return a.bias ? [weight, p(.bias, [a.filters])] : [weight]
        case .depthwiseConv2d(let a):
            let outChannels = inChannels * a.multiplier
            let weight = p(.weight, [outChannels, 1, a.kernel.height, a.kernel.width])
            return a.bias ? [weight, p(.bias, [outChannels])] : [weight]
        case .dense(let a):
            let weight = p(.weight, [a.units, inputShapes.first?.elementCount ?? 0])
            return a.bias ? [weight, p(.bias, [a.units])] : [weight]
        case .batchNorm:
            return [p(.weight, [inChannels]), p(.bias, [inChannels]),
                    p(.runningMean, [inChannels], trainable: false), p(.runningVar, [inChannels], trainable: false)]
        case .maxPool, .avgPool, .globalAvgPool, .flatten, .relu, .dropout, .add, .concat, .softmax:
            return []
        }
    }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.elementCount } }

    /// Multiply-accumulates for one image (0 for layers without weights; their cost is memory traffic).
    /// Layers of a built `Network` are checked against `SizeLimits`, so this never saturates for them.
    public var macs: Int { checkedMACs ?? Int.max }

    /// The MAC count, or nil if it overflows `Int`.
    var checkedMACs: Int? {
        let inChannels = inputShapes.first?.channels ?? 0
        switch op {
        case .conv2d(let a):
            return SizeLimits.product([outputShape.height, outputShape.width, a.filters, inChannels, a.kernel.height, a.kernel.width])
        case .depthwiseConv2d(let a):
            return SizeLimits.product([outputShape.height, outputShape.width, inChannels, a.multiplier, a.kernel.height, a.kernel.width])
        case .dense(let a):
            return SizeLimits.product([a.units, inputShapes.first?.elementCount ?? 0])
        default:
            return 0
        }
    }
}
