import Foundation
import NetSpec

/// The definition of the int8 semantics: plain loops over an `Int8Model`, integer arithmetic only until the
/// logits are dequantized for softmax. Generated kernels must match `run` bit for bit.
public struct Int8Interpreter: Sendable {
    public struct InputError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public let model: Int8Model

    public init(model: Int8Model) throws(Int8ModelError) {
        try model.validate()
        self.model = model
    }

    /// Raw pixels (0…255, CHW) → the int8 network input `q = pixel − 128`.
    public static func quantizeInput(_ pixels: [UInt8]) -> [Int8] {
        pixels.map { Int8(bitPattern: $0 ^ 0x80) }
    }

    /// Int8 logits for one image of raw pixels.
    public func run(pixels: [UInt8]) throws(InputError) -> [Int8] {
        try runAll(input: Self.quantizeInput(pixels)).last ?? []
    }

    /// Every layer's int8 output, in layer order, for one image given as int8 network input.
    public func runAll(input: [Int8]) throws(InputError) -> [[Int8]] {
        guard input.count == model.inputShape.elementCount else {
            throw InputError(description: "int8 input has \(input.count) values, expected \(model.inputShape.elementCount) (\(model.inputShape))")
        }
        var outputs: [[Int8]] = []
        outputs.reserveCapacity(model.layers.count)
        for layer in model.layers {
            let sources = layer.inputs.map { source -> [Int8] in
                switch source {
                case .networkInput: input
                case .layer(let index): outputs[index]
                }
            }
            let zeroPoints = layer.inputs.map { model.quantization(of: $0).zeroPoint }
            outputs.append(Self.evaluate(layer, sources, zeroPoints))
        }
        return outputs
    }

    /// `scale × (q − zp)` of the logits.
    public func dequantizedLogits(_ logits: [Int8]) -> [Float] {
        logits.map(model.outputQuantization.dequantize)
    }

    /// Softmax of the dequantized logits: the only floating point of the int8 path, after the last layer.
    public func probabilities(_ logits: [Int8]) -> [Float] {
        let real = dequantizedLogits(logits)
        let top = real.max() ?? 0
        let exps = real.map { expf($0 - top) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    /// The predicted class: the largest int8 logit, the lowest index on ties.
    public static func argmax(_ logits: [Int8]) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best
    }

    static func evaluate(_ layer: Int8Layer, _ inputs: [[Int8]], _ zeroPoints: [Int32]) -> [Int8] {
        let zpOut = layer.output.zeroPoint
        switch layer.op {
        case .convolution(let conv):
            return convolution(conv, inputs[0], shape: layer.inputShapes[0], zpIn: zeroPoints[0],
                               out: layer.outputShape, zpOut: zpOut, qmin: layer.qmin, qmax: layer.qmax)
        case .dense(let dense):
            var result = [Int8](repeating: 0, count: dense.units)
            for u in 0..<dense.units {
                // Wrapping adds are exact: validation bounds the true sum within int32 (see docs/quantization.md).
                var acc = dense.bias[u]
                let row = u * dense.inputFeatures
                for i in 0..<dense.inputFeatures {
                    acc &+= Int32(inputs[0][i]) &* Int32(dense.weights[row + i])
                }
                result[u] = Int8Arithmetic.requantizeToInt8(acc, dense.requantization[u], zeroPoint: zpOut,
                                                            qmin: layer.qmin, qmax: layer.qmax)
            }
            return result
        case .maxPool(let pool):
            return Self.pool(pool, inputs[0], shape: layer.inputShapes[0], out: layer.outputShape) { window, _ in
                window.max() ?? Int8.min
            }
        case .avgPool(let pool, let multipliers):
            let zpIn = zeroPoints[0]
            return Self.pool(pool, inputs[0], shape: layer.inputShapes[0], out: layer.outputShape) { window, count in
                let sum = window.reduce(Int32(0)) { $0 + Int32($1) - zpIn }
                return Int8Arithmetic.requantizeToInt8(sum, multipliers[count - 1], zeroPoint: zpOut,
                                                      qmin: layer.qmin, qmax: layer.qmax)
            }
        case .globalAvgPool(let multiplier):
            let shape = layer.inputShapes[0]
            let plane = shape.height * shape.width
            return (0..<shape.channels).map { c in
                var sum: Int32 = 0
                for i in 0..<plane { sum += Int32(inputs[0][c * plane + i]) - zeroPoints[0] }
                return Int8Arithmetic.requantizeToInt8(sum, multiplier, zeroPoint: zpOut, qmin: layer.qmin, qmax: layer.qmax)
            }
        case .add(let multipliers, let shift):
            return (0..<layer.outputShape.elementCount).map { e in
                var total: Int64 = 0
                for i in inputs.indices {
                    total += Int64(Int32(inputs[i][e]) - zeroPoints[i]) * Int64(multipliers[i])
                }
                return Int8Arithmetic.saturate(Int8Arithmetic.roundingShiftRight(total, shift), zeroPoint: zpOut,
                                               qmin: layer.qmin, qmax: layer.qmax)
            }
        case .concat(let multipliers):
            // CHW along channels (or flat vectors): the inputs' bytes one after another.
            var result: [Int8] = []
            for i in inputs.indices {
                for q in inputs[i] {
                    result.append(Int8Arithmetic.requantizeToInt8(Int32(q) - zeroPoints[i], multipliers[i], zeroPoint: zpOut,
                                                                  qmin: layer.qmin, qmax: layer.qmax))
                }
            }
            return result
        case .relu:
            let floor = Int8(clamping: zeroPoints[0])
            return inputs[0].map { max($0, floor) }
        case .flatten:
            return inputs[0]
        }
    }

    static func convolution(_ conv: Int8Convolution, _ input: [Int8], shape: Shape, zpIn: Int32, out: Shape,
                            zpOut: Int32, qmin: Int8, qmax: Int8) -> [Int8] {
        let rows = conv.padding.amounts(input: shape.height, kernel: conv.kernel.height, stride: conv.stride.height)
        let cols = conv.padding.amounts(input: shape.width, kernel: conv.kernel.width, stride: conv.stride.width)
        // Padding holds the input zero point (real 0), which the folded bias cancels exactly.
        let padded = pad(input, shape: shape, rows: rows, cols: cols, value: Int8(clamping: zpIn))
        let (paddedH, paddedW) = (shape.height + rows.before + rows.after, shape.width + cols.before + cols.after)
        let inPerGroup = shape.channels / conv.groups
        let outPerGroup = conv.outputChannels / conv.groups
        let (kh, kw, sh, sw) = (conv.kernel.height, conv.kernel.width, conv.stride.height, conv.stride.width)
        let (outH, outW) = (out.height, out.width)
        let plane = outH * outW
        var result = [Int8](repeating: 0, count: out.elementCount)
        var acc = [Int32](repeating: 0, count: plane)
        for oc in 0..<conv.outputChannels {
            let group = oc / outPerGroup
            for i in 0..<plane { acc[i] = conv.bias[oc] }
            // acc[oy, ox] = bias + Σ_ic,ky,kx input[ic, oy·sh + ky, ox·sw + kx] · w[oc, ic, ky, kx].
            // Wrapping adds are exact: validation bounds the true sum within int32 (docs/quantization.md §3).
            for icInGroup in 0..<inPerGroup {
                let ic = group * inPerGroup + icInGroup
                for ky in 0..<kh {
                    for kx in 0..<kw {
                        let w = Int32(conv.weights[((oc * inPerGroup + icInGroup) * kh + ky) * kw + kx])
                        // Indices stay inside the padded map by construction (Padding.amounts); the unchecked
                        // buffers only let the compiler vectorize this innermost loop.
                        padded.withUnsafeBufferPointer { source in
                            acc.withUnsafeMutableBufferPointer { sums in
                                for oy in 0..<outH {
                                    let row = (ic * paddedH + oy * sh + ky) * paddedW + kx
                                    let target = oy &* outW
                                    for ox in 0..<outW {
                                        sums[target &+ ox] &+= Int32(source[row &+ ox &* sw]) &* w
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for i in 0..<plane {
                result[oc * plane + i] = Int8Arithmetic.requantizeToInt8(acc[i], conv.requantization[oc], zeroPoint: zpOut,
                                                                         qmin: qmin, qmax: qmax)
            }
        }
        return result
    }

    /// A CHW map surrounded by `value`.
    static func pad(_ input: [Int8], shape: Shape, rows: Padding.Amounts, cols: Padding.Amounts, value: Int8) -> [Int8] {
        if rows.before == 0 && rows.after == 0 && cols.before == 0 && cols.after == 0 { return input }
        let (h, w) = (shape.height, shape.width)
        let (paddedH, paddedW) = (h + rows.before + rows.after, w + cols.before + cols.after)
        var padded = [Int8](repeating: value, count: shape.channels * paddedH * paddedW)
        for c in 0..<shape.channels {
            for y in 0..<h {
                for x in 0..<w {
                    padded[(c * paddedH + y + rows.before) * paddedW + x + cols.before] = input[(c * h + y) * w + x]
                }
            }
        }
        return padded
    }

    /// Visits each output position's window of non-padded input values (and their count).
    static func pool(_ pool: PoolAttributes, _ input: [Int8], shape: Shape, out: Shape,
                     reduce: ([Int8], Int) -> Int8) -> [Int8] {
        let (inH, inW, outH, outW) = (shape.height, shape.width, out.height, out.width)
        let rows = pool.padding.amounts(input: inH, kernel: pool.size.height, stride: pool.stride.height)
        let cols = pool.padding.amounts(input: inW, kernel: pool.size.width, stride: pool.stride.width)
        var result = [Int8](repeating: 0, count: out.elementCount)
        var window: [Int8] = []
        for c in 0..<shape.channels {
            for oy in 0..<outH {
                for ox in 0..<outW {
                    window.removeAll(keepingCapacity: true)
                    for ky in 0..<pool.size.height {
                        for kx in 0..<pool.size.width {
                            let iy = oy * pool.stride.height + ky - rows.before
                            let ix = ox * pool.stride.width + kx - cols.before
                            if (0..<inH).contains(iy) && (0..<inW).contains(ix) {
                                window.append(input[(c * inH + iy) * inW + ix])
                            }
                        }
                    }
                    result[(c * outH + oy) * outW + ox] = reduce(window, window.count)
                }
            }
        }
        return result
    }
}
