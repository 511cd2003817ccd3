/// What a layer computes. Attributes are fully resolved (defaults filled in) by the time a `Network` exists.
public enum Operation: Sendable, Hashable {
    case conv2d(Conv2DAttributes)
    case depthwiseConv2d(DepthwiseConv2DAttributes)
    case maxPool(PoolAttributes)
    case avgPool(PoolAttributes)
    case globalAvgPool
    case dense(DenseAttributes)
    case flatten
    case relu
    case batchNorm(BatchNormAttributes)
    case dropout(DropoutAttributes)
    case add(MergeAttributes)
    case concat(MergeAttributes)
    case softmax

    /// The keyword that introduces this layer in a spec (also the stem of automatic layer names).
    public var kind: LayerKind {
        switch self {
        case .conv2d: .conv2d
        case .depthwiseConv2d: .depthwiseConv2d
        case .maxPool: .maxPool
        case .avgPool: .avgPool
        case .globalAvgPool: .globalAvgPool
        case .dense: .dense
        case .flatten: .flatten
        case .relu: .relu
        case .batchNorm: .batchNorm
        case .dropout: .dropout
        case .add: .add
        case .concat: .concat
        case .softmax: .softmax
        }
    }

    /// The activation applied to this layer's output, if it has one fused in.
    public var fusedActivation: Activation {
        switch self {
        case .conv2d(let a): a.activation
        case .depthwiseConv2d(let a): a.activation
        case .dense(let a): a.activation
        case .add(let a), .concat(let a): a.activation
        default: .none
        }
    }
}

public enum LayerKind: String, Sendable, Hashable, Codable, CaseIterable {
    case conv2d
    case depthwiseConv2d = "depthwise_conv2d"
    case maxPool = "maxpool"
    case avgPool = "avgpool"
    case globalAvgPool = "global_avgpool"
    case dense
    case flatten
    case relu
    case batchNorm = "batchnorm"
    case dropout
    case add
    case concat
    case softmax

    /// The keyword used in spec files.
    public var keyword: String { rawValue }
}

public struct Conv2DAttributes: Sendable, Hashable, Codable {
    public var filters: Int
    public var kernel: Size2
    public var stride: Size2
    public var padding: Padding
    public var activation: Activation
    public var bias: Bool

    public init(filters: Int, kernel: Size2, stride: Size2 = Size2(square: 1), padding: Padding = .valid,
                activation: Activation = .none, bias: Bool = true) {
        self.filters = filters
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.bias = bias
    }
}

public struct DepthwiseConv2DAttributes: Sendable, Hashable, Codable {
    /// Output channels per input channel.
    public var multiplier: Int
    public var kernel: Size2
    public var stride: Size2
    public var padding: Padding
    public var activation: Activation
    public var bias: Bool

    public init(multiplier: Int = 1, kernel: Size2, stride: Size2 = Size2(square: 1), padding: Padding = .valid,
                activation: Activation = .none, bias: Bool = true) {
        self.multiplier = multiplier
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.bias = bias
    }
}

public struct PoolAttributes: Sendable, Hashable, Codable {
    public var size: Size2
    public var stride: Size2
    public var padding: Padding

    public init(size: Size2, stride: Size2? = nil, padding: Padding = .valid) {
        self.size = size
        self.stride = stride ?? size
        self.padding = padding
    }
}

public struct DenseAttributes: Sendable, Hashable, Codable {
    public var units: Int
    public var activation: Activation
    public var bias: Bool

    public init(units: Int, activation: Activation = .none, bias: Bool = true) {
        self.units = units
        self.activation = activation
        self.bias = bias
    }
}

public struct BatchNormAttributes: Sendable, Hashable, Codable {
    public var epsilon: Float
    /// Weight of the newest batch in the running statistics (PyTorch's convention).
    public var momentum: Float

    public init(epsilon: Float = 1e-5, momentum: Float = 0.1) {
        self.epsilon = epsilon
        self.momentum = momentum
    }
}

public struct DropoutAttributes: Sendable, Hashable, Codable {
    /// Probability of zeroing an element during training; inference ignores dropout.
    public var rate: Float

    public init(rate: Float = 0.5) { self.rate = rate }
}

/// Attributes of `add` and `concat`.
public struct MergeAttributes: Sendable, Hashable, Codable {
    public var activation: Activation

    public init(activation: Activation = .none) { self.activation = activation }
}
