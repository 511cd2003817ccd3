import NetSpec

/// A quantized model whose numbers break the scheme's invariants (wrong sizes, weights outside −127…127,
/// accumulators that could overflow int32, …). `message` names the layer and what was expected vs found.
public struct Int8ModelError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Int8Model {
    /// The largest |accumulator| the scheme allows: kernels may then sum in any order with wrapping int32 adds
    /// and still get the exact value.
    public static let accumulatorLimit: Int64 = Int64(Int32.max)

    /// Checks every invariant the interpreter and generated kernels rely on.
    public func validate() throws(Int8ModelError) {
        try Self.checkZeroPoint(input, "input")
        guard !layers.isEmpty else { throw Int8ModelError("model has no layers") }
        for (index, layer) in layers.enumerated() {
            let where_ = "layer '\(layer.name)'"
            for source in layer.inputs {
                if case .layer(let producer) = source, !(0..<index).contains(producer) {
                    throw Int8ModelError("\(where_) reads layer #\(producer), expected one of the \(index) layers before it")
                }
            }
            guard layer.inputs.count == layer.inputShapes.count, !layer.inputs.isEmpty else {
                throw Int8ModelError("\(where_) has \(layer.inputs.count) inputs but \(layer.inputShapes.count) input shapes")
            }
            try Self.checkZeroPoint(layer.output, where_)
            guard layer.qmin <= layer.qmax else { throw Int8ModelError("\(where_) clamps to an empty range [\(layer.qmin), \(layer.qmax)]") }
            try validate(layer.op, of: layer, where_)
        }
    }

    private static func checkZeroPoint(_ q: Int8Quantization, _ what: String) throws(Int8ModelError) {
        guard (-128...127).contains(q.zeroPoint) else {
            throw Int8ModelError("\(what) zero point \(q.zeroPoint) is outside -128…127")
        }
        guard q.scale.isFinite, q.scale > 0 else { throw Int8ModelError("\(what) scale \(q.scale) is not a finite number > 0") }
    }

    private static func checkCount(_ found: Int, _ expected: Int, _ what: String, _ where_: String) throws(Int8ModelError) {
        guard found == expected else { throw Int8ModelError("\(where_) has \(found) \(what), expected \(expected)") }
    }

    private static func checkMultipliers(_ ms: [FixedPointMultiplier], _ where_: String) throws(Int8ModelError) {
        for (i, m) in ms.enumerated() where !m.isValid {
            throw Int8ModelError("\(where_) multiplier #\(i) \(m.multiplier)·2^-\(m.shift) needs multiplier ≥ 0 and shift in 1…63")
        }
    }

    /// Weights in −127…127 and |bias| + 128·Σ|w| within int32 for every output channel.
    private static func checkWeights(_ weights: [Int8], bias: [Int32], channels: Int, _ where_: String) throws(Int8ModelError) {
        let perChannel = channels == 0 ? 0 : weights.count / channels
        for c in 0..<channels {
            var magnitude: Int64 = 0
            for w in weights[(c * perChannel)..<((c + 1) * perChannel)] {
                guard w != Int8.min else { throw Int8ModelError("\(where_) channel \(c) has weight -128, expected -127…127") }
                magnitude += Int64(abs(Int32(w)))
            }
            let bound = Int64(abs(Int64(bias[c]))) + 128 * magnitude
            guard bound <= accumulatorLimit else {
                throw Int8ModelError("\(where_) channel \(c) can accumulate up to \(bound), beyond int32")
            }
        }
    }

    private func validate(_ op: Int8Operation, of layer: Int8Layer, _ where_: String) throws(Int8ModelError) {
        let input = layer.inputShapes[0]
        switch op {
        case .convolution(let c):
            guard c.groups >= 1, input.channels % c.groups == 0, c.outputChannels % c.groups == 0 else {
                throw Int8ModelError("\(where_) groups \(c.groups) do not divide \(input.channels) input and \(c.outputChannels) output channels")
            }
            try Self.checkCount(c.weights.count, c.outputChannels * (input.channels / c.groups) * c.kernel.height * c.kernel.width,
                                "weights", where_)
            try Self.checkCount(c.bias.count, c.outputChannels, "biases", where_)
            try Self.checkCount(c.requantization.count, c.outputChannels, "multipliers", where_)
            try Self.checkCount(layer.outputShape.channels, c.outputChannels, "output channels", where_)
            try Self.checkMultipliers(c.requantization, where_)
            try Self.checkWeights(c.weights, bias: c.bias, channels: c.outputChannels, where_)
        case .dense(let d):
            try Self.checkCount(d.inputFeatures, input.elementCount, "input features", where_)
            try Self.checkCount(d.weights.count, d.units * d.inputFeatures, "weights", where_)
            try Self.checkCount(d.bias.count, d.units, "biases", where_)
            try Self.checkCount(d.requantization.count, d.units, "multipliers", where_)
            try Self.checkMultipliers(d.requantization, where_)
            try Self.checkWeights(d.weights, bias: d.bias, channels: d.units, where_)
        case .avgPool(let pool, let multipliers):
            try Self.checkCount(multipliers.count, pool.size.height * pool.size.width, "multipliers (one per window count)", where_)
            try Self.checkMultipliers(multipliers, where_)
        case .globalAvgPool(let m):
            try Self.checkMultipliers([m], where_)
            // Σ(q − zp) over H×W must fit int32: 255·H·W.
            guard 255 * Int64(input.height * input.width) <= Self.accumulatorLimit else {
                throw Int8ModelError("\(where_) sums \(input.height * input.width) values, too many for int32")
            }
        case .add(let multipliers, let shift):
            try Self.checkCount(multipliers.count, layer.inputs.count, "multipliers", where_)
            try Self.checkMultipliers(multipliers.map { FixedPointMultiplier(multiplier: $0, shift: shift) }, where_)
        case .concat(let multipliers):
            try Self.checkCount(multipliers.count, layer.inputs.count, "multipliers", where_)
            try Self.checkMultipliers(multipliers, where_)
        case .maxPool, .relu, .flatten:
            guard layer.output == quantization(of: layer.inputs[0]) else {
                throw Int8ModelError("\(where_) must keep its input's quantization (\(quantization(of: layer.inputs[0]))), found \(layer.output)")
            }
        }
    }
}
