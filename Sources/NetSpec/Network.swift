/// A validated network: layers in an order where every input comes before its consumer, every shape inferred.
public struct Network: Sendable {
    public var name: String
    /// The spec file this network came from (as given to the parser), for messages.
    public var file: String
    public var input: InputSpec
    /// Class labels, one per output unit.
    public var labels: [String]
    /// Topologically ordered; the last layer is the network's output.
    public var layers: [Layer]

    public init(name: String, file: String, input: InputSpec, labels: [String], layers: [Layer]) {
        self.name = name
        self.file = file
        self.input = input
        self.labels = labels
        self.layers = layers
    }

    public var outputShape: Shape { layers.last?.outputShape ?? input.shape }

    public func layer(named name: String) -> Layer? { layers.first { $0.name == name } }

    /// Every tensor the weights file must provide, in layer order.
    public var parameters: [ParameterSpec] { layers.flatMap(\.parameters) }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.elementCount } }
    public var trainableParameterCount: Int {
        parameters.filter(\.trainable).reduce(0) { $0 + $1.elementCount }
    }
    /// Multiply-accumulates for one image.
    public var macs: Int { layers.reduce(0) { $0 + $1.macs } }

    /// The shape a layer input refers to.
    public func shape(of source: LayerInput) -> Shape {
        switch source {
        case .networkInput: input.shape
        case .layer(let index): layers[index].outputShape
        }
    }

    /// Layers reading each layer's output (index → consumers), for liveness and graph walks.
    public var consumers: [[Int]] {
        var result = [[Int]](repeating: [], count: layers.count)
        for (index, layer) in layers.enumerated() {
            for case .layer(let producer) in layer.inputs { result[producer].append(index) }
        }
        return result
    }
}

/// The network input and how raw pixels (0…255) become model inputs: `x = (pixel * scale - mean) / std`.
public struct InputSpec: Sendable, Hashable, Codable {
    public var shape: Shape
    public var scale: Float
    public var mean: Float
    public var std: Float
    public var location: SourceLocation

    public init(shape: Shape, scale: Float = 1.0 / 255.0, mean: Float = 0, std: Float = 1, location: SourceLocation) {
        self.shape = shape
        self.scale = scale
        self.mean = mean
        self.std = std
        self.location = location
    }

    /// The model input for one raw pixel value.
    @inlinable public func normalize(_ pixel: UInt8) -> Float {
        (Float(pixel) * scale - mean) / std
    }
}

/// Where a layer reads from.
public enum LayerInput: Sendable, Hashable {
    case networkInput
    case layer(Int)
}

public struct Layer: Sendable {
    public var name: String
    public var op: Operation
    public var inputs: [LayerInput]
    public var inputShapes: [Shape]
    public var outputShape: Shape
    public var location: SourceLocation

    public init(name: String, op: Operation, inputs: [LayerInput], inputShapes: [Shape], outputShape: Shape,
                location: SourceLocation) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.inputShapes = inputShapes
        self.outputShape = outputShape
        self.location = location
    }
}
