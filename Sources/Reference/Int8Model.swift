import NetSpec

/// How an int8 tensor maps to real numbers: `real = scale × (q − zeroPoint)`, one pair per tensor.
public struct Int8Quantization: Sendable, Hashable, Codable, CustomStringConvertible {
    public var scale: Double
    public var zeroPoint: Int32

    public init(scale: Double, zeroPoint: Int32) {
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    public func dequantize(_ q: Int8) -> Float { Float(scale * Double(Int32(q) - zeroPoint)) }

    public var description: String { "scale \(scale) zp \(zeroPoint)" }
}

/// A network lowered to int8 operations. Built by the Quantization module from a spec and float weights (batchnorm
/// folded, dropout removed, ReLU fused as clamping, softmax left to the caller); docs/quantization.md defines it.
public struct Int8Model: Sendable {
    public var name: String
    public var labels: [String]
    public var inputShape: Shape
    /// Raw pixels enter as `q = pixel − 128`; this says what real model input that `q` stands for.
    public var input: Int8Quantization
    /// Topologically ordered; the last layer's output is the int8 logits.
    public var layers: [Int8Layer]

    public init(name: String, labels: [String], inputShape: Shape, input: Int8Quantization, layers: [Int8Layer]) {
        self.name = name
        self.labels = labels
        self.inputShape = inputShape
        self.input = input
        self.layers = layers
    }

    public var outputQuantization: Int8Quantization { layers.last?.output ?? input }

    /// Quantization of the tensor a layer input refers to.
    public func quantization(of source: LayerInput) -> Int8Quantization {
        switch source {
        case .networkInput: input
        case .layer(let index): layers[index].output
        }
    }
}

public struct Int8Layer: Sendable {
    public var name: String
    public var op: Int8Operation
    public var inputs: [LayerInput]
    public var inputShapes: [Shape]
    public var outputShape: Shape
    public var output: Int8Quantization
    /// Clamp after requantization: [-128, 127], or [max(zero point, -128), 127] with a fused ReLU.
    public var qmin: Int8
    public var qmax: Int8

    public init(name: String, op: Int8Operation, inputs: [LayerInput], inputShapes: [Shape], outputShape: Shape,
                output: Int8Quantization, qmin: Int8 = .min, qmax: Int8 = .max) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.inputShapes = inputShapes
        self.outputShape = outputShape
        self.output = output
        self.qmin = qmin
        self.qmax = qmax
    }
}

public enum Int8Operation: Sendable {
    /// conv2d (groups 1), depthwise conv2d (groups = input channels), and standalone batchnorm (1x1 depthwise).
    case convolution(Int8Convolution)
    case dense(Int8Dense)
    /// Max over the window's non-padded positions; output quantization equals the input's.
    case maxPool(PoolAttributes)
    /// Σ(q − zp_in) over the window's non-padded positions, requantized by `multipliers[count − 1]`.
    case avgPool(PoolAttributes, multipliers: [FixedPointMultiplier])
    /// Σ(q − zp_in) over H×W, requantized.
    case globalAvgPool(FixedPointMultiplier)
    /// `round(Σ_i (q_i − zp_i) × multipliers[i] / 2^shift)`: one rounding for all inputs.
    case add(multipliers: [Int32], shift: Int32)
    /// Each input requantized to the output's scale and zero point, then joined along channels.
    case concat([FixedPointMultiplier])
    /// `max(q, zp)`; output quantization equals the input's.
    case relu
    /// Same bytes, flat shape.
    case flatten

    public var kindName: String {
        switch self {
        case .convolution(let c): c.groups == 1 ? "conv2d" : "depthwise_conv2d"
        case .dense: "dense"
        case .maxPool: "maxpool"
        case .avgPool: "avgpool"
        case .globalAvgPool: "global_avgpool"
        case .add: "add"
        case .concat: "concat"
        case .relu: "relu"
        case .flatten: "flatten"
        }
    }
}

/// Weights are symmetric int8 per output channel; `bias` already contains `−zp_in × Σw`.
public struct Int8Convolution: Sendable {
    public var kernel: Size2
    public var stride: Size2
    public var padding: Padding
    /// 1 for a full convolution; the input channel count for depthwise.
    public var groups: Int
    public var outputChannels: Int
    /// [outputChannels, inputChannels / groups, kernel.height, kernel.width], values in −127…127.
    public var weights: [Int8]
    public var bias: [Int32]
    public var requantization: [FixedPointMultiplier]
    /// Per output channel; informational (the integers above are what runs).
    public var weightScales: [Double]

    public init(kernel: Size2, stride: Size2, padding: Padding, groups: Int, outputChannels: Int, weights: [Int8],
                bias: [Int32], requantization: [FixedPointMultiplier], weightScales: [Double]) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.groups = groups
        self.outputChannels = outputChannels
        self.weights = weights
        self.bias = bias
        self.requantization = requantization
        self.weightScales = weightScales
    }
}

public struct Int8Dense: Sendable {
    public var inputFeatures: Int
    public var units: Int
    /// [units, inputFeatures], values in −127…127.
    public var weights: [Int8]
    public var bias: [Int32]
    public var requantization: [FixedPointMultiplier]
    public var weightScales: [Double]

    public init(inputFeatures: Int, units: Int, weights: [Int8], bias: [Int32],
                requantization: [FixedPointMultiplier], weightScales: [Double]) {
        self.inputFeatures = inputFeatures
        self.units = units
        self.weights = weights
        self.bias = bias
        self.requantization = requantization
        self.weightScales = weightScales
    }
}
