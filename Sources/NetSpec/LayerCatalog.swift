/// Every layer kind the spec language knows: its attributes (for messages and docs), how many inputs it
/// takes, and how its attributes become an `Operation`.
public enum LayerCatalog {
    public struct AttributeInfo: Sendable {
        public var name: String
        public var type: String
        /// nil: required.
        public var defaultValue: String?
        public var summary: String
    }

    public static func attributes(of kind: LayerKind) -> [AttributeInfo] {
        let activation = AttributeInfo(name: "activation", type: "none | relu", defaultValue: "none",
                                       summary: "activation fused into the layer's output")
        let bias = AttributeInfo(name: "bias", type: "true | false", defaultValue: "true", summary: "add a learned bias")
        let stride = AttributeInfo(name: "stride", type: "size", defaultValue: "1", summary: "step between windows")
        let padding = AttributeInfo(name: "padding", type: "valid | same", defaultValue: "valid",
                                    summary: "valid: no padding; same: output = ceil(input / stride)")
        switch kind {
        case .conv2d:
            return [
                AttributeInfo(name: "filters", type: "int", defaultValue: nil, summary: "output channels"),
                AttributeInfo(name: "kernel", type: "size", defaultValue: nil, summary: "kernel height x width"),
                stride, padding, activation, bias,
            ]
        case .depthwiseConv2d:
            return [
                AttributeInfo(name: "kernel", type: "size", defaultValue: nil, summary: "kernel height x width"),
                AttributeInfo(name: "multiplier", type: "int", defaultValue: "1", summary: "output channels per input channel"),
                stride, padding, activation, bias,
            ]
        case .maxPool, .avgPool:
            return [
                AttributeInfo(name: "size", type: "size", defaultValue: "2", summary: "window height x width"),
                AttributeInfo(name: "stride", type: "size", defaultValue: "size", summary: "step between windows"),
                padding,
            ]
        case .dense:
            return [AttributeInfo(name: "units", type: "int", defaultValue: nil, summary: "output features"), activation, bias]
        case .batchNorm:
            return [
                AttributeInfo(name: "epsilon", type: "number in (0, 1]", defaultValue: "1e-5", summary: "added to the variance"),
                AttributeInfo(name: "momentum", type: "number in (0, 1]", defaultValue: "0.1",
                              summary: "weight of each new batch in the running statistics"),
            ]
        case .dropout:
            return [AttributeInfo(name: "rate", type: "number in [0, 1)", defaultValue: "0.5",
                                  summary: "fraction of elements zeroed while training")]
        case .add, .concat:
            return [activation]
        case .globalAvgPool, .flatten, .relu, .softmax:
            return []
        }
    }

    /// How many inputs a kind takes.
    public static func arity(of kind: LayerKind) -> ClosedRange<Int> {
        switch kind {
        case .add, .concat: 2...64
        default: 1...1
        }
    }

    /// The operation for `kind`; problems with attribute values are left in `r` (see `AttributeReader.finish`).
    static func operation(kind: LayerKind, reader r: inout AttributeReader) -> Operation {
        switch kind {
        case .conv2d:
            return .conv2d(Conv2DAttributes(
                filters: r.positiveInt("filters"), kernel: r.size2("kernel"),
                stride: r.size2("stride", default: Size2(square: 1)), padding: r.choice("padding", default: Padding.valid),
                activation: r.choice("activation", default: Activation.none), bias: r.bool("bias", default: true)))
        case .depthwiseConv2d:
            return .depthwiseConv2d(DepthwiseConv2DAttributes(
                multiplier: r.positiveInt("multiplier", default: 1), kernel: r.size2("kernel"),
                stride: r.size2("stride", default: Size2(square: 1)), padding: r.choice("padding", default: Padding.valid),
                activation: r.choice("activation", default: Activation.none), bias: r.bool("bias", default: true)))
        case .maxPool, .avgPool:
            let size = r.size2("size", default: Size2(square: 2))
            let pool = PoolAttributes(size: size, stride: r.size2("stride", default: size),
                                      padding: r.choice("padding", default: Padding.valid))
            return kind == .maxPool ? .maxPool(pool) : .avgPool(pool)
        case .globalAvgPool:
            return .globalAvgPool
        case .dense:
            return .dense(DenseAttributes(units: r.positiveInt("units"),
                                          activation: r.choice("activation", default: Activation.none),
                                          bias: r.bool("bias", default: true)))
        case .flatten:
            return .flatten
        case .relu:
            return .relu
        case .batchNorm:
            let epsilon = r.number("epsilon", default: 1e-5, in: 0...1, open: true, describe: "a number in (0, 1]")
            let momentum = r.number("momentum", default: 0.1, in: 0...1, open: true, describe: "a number in (0, 1]")
            return .batchNorm(BatchNormAttributes(epsilon: Float(epsilon), momentum: Float(momentum)))
        case .dropout:
            let rate = r.number("rate", default: 0.5, in: 0...0.999_999, describe: "a number in [0, 1)")
            return .dropout(DropoutAttributes(rate: Float(rate)))
        case .add:
            return .add(MergeAttributes(activation: r.choice("activation", default: Activation.none)))
        case .concat:
            return .concat(MergeAttributes(activation: r.choice("activation", default: Activation.none)))
        case .softmax:
            return .softmax
        }
    }
}
