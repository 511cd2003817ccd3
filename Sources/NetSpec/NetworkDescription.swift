/// A resolved network as plain data, for tools that read `digits summary --json` (or any other JSON export).
/// Every attribute has its default filled in; shapes are per example (no batch dimension), CHW order.
public struct NetworkDescription: Sendable, Hashable, Codable {
    public var name: String
    public var file: String
    public var input: InputDescription
    public var labels: [String]
    public var layers: [LayerDescription]
    public var totals: Totals

    public struct InputDescription: Sendable, Hashable, Codable {
        public var shape: [Int]
        /// Model input = (pixel * scale - mean) / std, pixel in 0…255.
        public var scale: Float
        public var mean: Float
        public var std: Float
    }

    public struct ParameterDescription: Sendable, Hashable, Codable {
        /// `state_dict` key, e.g. `conv2d.weight`.
        public var name: String
        public var role: ParameterSpec.Role
        public var shape: [Int]
        public var trainable: Bool
    }

    public struct LayerDescription: Sendable, Hashable, Codable {
        public var name: String
        public var kind: LayerKind
        public var attributes: LayerAttributes
        /// Names of the tensors this layer reads: `input` or a layer name.
        public var inputs: [String]
        public var inputShapes: [[Int]]
        public var outputShape: [Int]
        public var parameters: [ParameterDescription]
        public var parameterCount: Int
        public var macs: Int
        /// Line of the layer's statement in the spec.
        public var line: Int
    }

    public struct Totals: Sendable, Hashable, Codable {
        public var parameters: Int
        public var trainableParameters: Int
        public var nonTrainableParameters: Int
        public var macs: Int
        /// Sum of all layer outputs for one image.
        public var activationElements: Int
        public var activationBytesFloat32: Int
        public var activationBytesInt8: Int
        /// See `ActivationMemory` for the liveness model.
        public var peakLiveActivationElements: Int
        public var peakLiveActivationBytesFloat32: Int
        public var peakLiveActivationBytesInt8: Int
        /// The layer running at the peak (nil for a network without layers).
        public var peakLayer: String?
    }

    public init(_ network: Network) {
        name = network.name
        file = network.file
        input = InputDescription(shape: network.input.shape.dims, scale: network.input.scale,
                                 mean: network.input.mean, std: network.input.std)
        labels = network.labels
        layers = network.layers.map { layer in
            LayerDescription(
                name: layer.name, kind: layer.op.kind, attributes: LayerAttributes(layer.op),
                inputs: layer.inputs.map(network.name(of:)), inputShapes: layer.inputShapes.map(\.dims),
                outputShape: layer.outputShape.dims,
                parameters: layer.parameters.map {
                    ParameterDescription(name: $0.name, role: $0.role, shape: $0.shape, trainable: $0.trainable)
                },
                parameterCount: layer.parameterCount, macs: layer.macs, line: layer.location.line)
        }
        let memory = network.activationMemory
        let trainable = network.trainableParameterCount
        totals = Totals(
            parameters: network.parameterCount, trainableParameters: trainable,
            nonTrainableParameters: network.parameterCount - trainable, macs: network.macs,
            activationElements: memory.outputElements,
            activationBytesFloat32: memory.outputElements * 4, activationBytesInt8: memory.outputElements,
            peakLiveActivationElements: memory.peakLiveElements,
            peakLiveActivationBytesFloat32: memory.peakLiveElements * 4,
            peakLiveActivationBytesInt8: memory.peakLiveElements,
            peakLayer: memory.peakLayer.map { network.layers[$0].name })
    }
}

/// Every attribute a layer kind can have, resolved; the ones a kind does not take are nil (absent in JSON).
/// Field names are the spec's attribute names; sizes are `[height, width]`.
public struct LayerAttributes: Sendable, Hashable, Codable {
    public var filters: Int?
    public var units: Int?
    public var multiplier: Int?
    public var kernel: [Int]?
    public var size: [Int]?
    public var stride: [Int]?
    public var padding: Padding?
    public var activation: Activation?
    public var bias: Bool?
    public var epsilon: Float?
    public var momentum: Float?
    public var rate: Float?

    public init() {}

    public init(_ op: Operation) {
        func pair(_ size: Size2) -> [Int] { [size.height, size.width] }
        switch op {
        case .conv2d(let a):
            filters = a.filters; kernel = pair(a.kernel); stride = pair(a.stride)
            padding = a.padding; activation = a.activation; bias = a.bias
        case .depthwiseConv2d(let a):
            kernel = pair(a.kernel); multiplier = a.multiplier; stride = pair(a.stride)
            padding = a.padding; activation = a.activation; bias = a.bias
        case .maxPool(let a), .avgPool(let a):
            size = pair(a.size); stride = pair(a.stride); padding = a.padding
        case .dense(let a):
            units = a.units; activation = a.activation; bias = a.bias
        case .batchNorm(let a):
            epsilon = a.epsilon; momentum = a.momentum
        case .dropout(let a):
            rate = a.rate
        case .add(let a), .concat(let a):
            activation = a.activation
        case .globalAvgPool, .flatten, .relu, .softmax:
            break
        }
    }

    public struct Incomplete: Error, Sendable, CustomStringConvertible {
        public var kind: LayerKind
        public var attribute: String
        public var description: String {
            "\(kind.keyword) layer description lacks attribute '\(attribute)' (expected a value; sizes as [height, width])"
        }
    }

    /// The operation these attributes describe; the inverse of `init(_:)` for descriptions read back from JSON.
    public func operation(kind: LayerKind) throws(Incomplete) -> Operation {
        func need<Value>(_ value: Value?, _ name: String) throws(Incomplete) -> Value {
            guard let value else { throw Incomplete(kind: kind, attribute: name) }
            return value
        }
        func size2(_ value: [Int]?, _ name: String) throws(Incomplete) -> Size2 {
            guard let value, value.count == 2, value[0] >= 1, value[1] >= 1 else {
                throw Incomplete(kind: kind, attribute: name)
            }
            return Size2(value[0], value[1])
        }
        switch kind {
        case .conv2d:
            return .conv2d(Conv2DAttributes(
                filters: try need(filters, "filters"), kernel: try size2(kernel, "kernel"), stride: try size2(stride, "stride"),
                padding: try need(padding, "padding"), activation: try need(activation, "activation"), bias: try need(bias, "bias")))
        case .depthwiseConv2d:
            return .depthwiseConv2d(DepthwiseConv2DAttributes(
                multiplier: try need(multiplier, "multiplier"), kernel: try size2(kernel, "kernel"), stride: try size2(stride, "stride"),
                padding: try need(padding, "padding"), activation: try need(activation, "activation"), bias: try need(bias, "bias")))
        case .maxPool, .avgPool:
            let pool = PoolAttributes(size: try size2(size, "size"), stride: try size2(stride, "stride"),
                                      padding: try need(padding, "padding"))
            return kind == .maxPool ? .maxPool(pool) : .avgPool(pool)
        case .globalAvgPool: return .globalAvgPool
        case .dense:
            return .dense(DenseAttributes(units: try need(units, "units"), activation: try need(activation, "activation"),
                                          bias: try need(bias, "bias")))
        case .flatten: return .flatten
        case .relu: return .relu
        case .batchNorm:
            return .batchNorm(BatchNormAttributes(epsilon: try need(epsilon, "epsilon"), momentum: try need(momentum, "momentum")))
        case .dropout: return .dropout(DropoutAttributes(rate: try need(rate, "rate")))
        case .add: return .add(MergeAttributes(activation: try need(activation, "activation")))
        case .concat: return .concat(MergeAttributes(activation: try need(activation, "activation")))
        case .softmax: return .softmax
        }
    }
}
