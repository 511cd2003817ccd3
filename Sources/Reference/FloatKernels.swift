import Foundation
import NetSpec

/// The float32 operations, one plain loop nest each. Activations are flat `[Float]` arrays holding a batch of
/// `n` examples, each laid out row-major CHW (or as a flat feature vector); `shape` is one example's shape.
/// These loops *are* the definition of each operation; faster paths must agree with them.
enum FloatKernels {
    /// 2-D cross-correlation (PyTorch `Conv2d`): `y[f, oy, ox] = bias[f] + Σ_c,ky,kx w[f, c, ky, kx] ·
    /// x[c, oy·sy − top + ky, ox·sx − left + kx]`, where positions outside the input read 0 and `top`/`left` are
    /// the "before" amounts of `Padding.amounts` (TensorFlow split: any odd extra padding goes after).
    /// Weight layout OIHW. An empty `bias` means no bias. `relu` applies `max(0, y)` to the result.
    ///
    /// Computed as `y[f] = Σ_k w[f, k] · patches[k]`: `patches` holds, for every kernel tap `k = (c, ky, kx)`, the
    /// input value that tap sees at each output position (im2col), so the sum runs over taps in (c, ky, kx) order
    /// with long contiguous inner loops.
    static func conv2d(_ x: [Float], n: Int, input: Shape, output: Shape, weight: [Float], bias: [Float],
                       kernel: Size2, stride: Size2, padding: Padding, relu: Bool) -> [Float] {
        let g = Window(input: input, output: output, kernel: kernel, stride: stride, padding: padding)
        let channels = input.channels
        let filters = output.channels
        let taps = channels * g.kernelSize
        let positions = g.outputPlane
        var y = [Float](repeating: 0, count: n * output.elementCount)
        // Taps that fall in the padding are never written, so they stay 0 for every image.
        var patches = [Float](repeating: 0, count: taps * positions)
        x.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { y in
                    patches.withUnsafeMutableBufferPointer { patches in
                        for b in 0..<n {
                            for c in 0..<channels {
                                g.gather(into: patches, firstRow: c * g.kernelSize, from: x,
                                         inputPlane: (b * channels + c) * g.inputPlane)
                            }
                            for f in 0..<filters {
                                let plane = (b * filters + f) * positions
                                for k in 0..<taps {
                                    let tap = w[f * taps + k]
                                    let row = k * positions
                                    // Wrapping index arithmetic (in bounds by construction) lets this vectorize.
                                    for i in 0..<positions { y[plane &+ i] += tap * patches[row &+ i] }
                                }
                                finish(y, plane: plane, count: positions, bias: bias.isEmpty ? 0 : bias[f], relu: relu)
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Depthwise convolution (PyTorch `Conv2d(groups=C)`): output channel `o` convolves input channel
    /// `o / multiplier` alone with its own kernel `w[o, 0, :, :]` (weight shape `[C·multiplier, 1, kh, kw]`).
    /// Padding, stride, bias and relu as in `conv2d`.
    static func depthwiseConv2d(_ x: [Float], n: Int, input: Shape, output: Shape, weight: [Float], bias: [Float],
                                multiplier: Int, kernel: Size2, stride: Size2, padding: Padding, relu: Bool) -> [Float] {
        let g = Window(input: input, output: output, kernel: kernel, stride: stride, padding: padding)
        let channels = input.channels
        let outChannels = output.channels
        var y = [Float](repeating: 0, count: n * output.elementCount)
        x.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { y in
                    for b in 0..<n {
                        for o in 0..<outChannels {
                            let plane = (b * outChannels + o) * g.outputPlane
                            g.accumulate(into: y, plane: plane, from: x,
                                         inputPlane: (b * channels + o / multiplier) * g.inputPlane,
                                         weights: w, kernelStart: o * g.kernelSize)
                            finish(y, plane: plane, count: g.outputPlane, bias: bias.isEmpty ? 0 : bias[o], relu: relu)
                        }
                    }
                }
            }
        }
        return y
    }

    /// The geometry of one sliding window (convolution kernel or pool), as plain integers so the inner loops
    /// touch nothing else.
    struct Window {
        let inputHeight, inputWidth, outputHeight, outputWidth: Int
        let kernelHeight, kernelWidth, strideY, strideX, top, left: Int
        var inputPlane: Int { inputHeight * inputWidth }
        var outputPlane: Int { outputHeight * outputWidth }
        var kernelSize: Int { kernelHeight * kernelWidth }

        init(input: Shape, output: Shape, kernel: Size2, stride: Size2, padding: Padding) {
            (inputHeight, inputWidth, outputHeight, outputWidth) = (input.height, input.width, output.height, output.width)
            (kernelHeight, kernelWidth, strideY, strideX) = (kernel.height, kernel.width, stride.height, stride.width)
            top = padding.amounts(input: inputHeight, kernel: kernelHeight, stride: strideY).before
            left = padding.amounts(input: inputWidth, kernel: kernelWidth, stride: strideX).before
        }

        /// Writes the input values each kernel tap of one input channel sees into rows `firstRow + ky·kw + kx` of
        /// `patches` (one column per output position). Positions whose tap lies in the padding are left alone.
        func gather(into patches: UnsafeMutableBufferPointer<Float>, firstRow: Int, from x: UnsafeBufferPointer<Float>,
                    inputPlane: Int) {
            for ky in 0..<kernelHeight {
                let rows = inBounds(tap: ky, before: top, stride: strideY, input: inputHeight, output: outputHeight)
                for kx in 0..<kernelWidth {
                    let cols = inBounds(tap: kx, before: left, stride: strideX, input: inputWidth, output: outputWidth)
                    let row = (firstRow + ky * kernelWidth + kx) * outputPlane
                    for oy in rows {
                        let inputRow = inputPlane + (oy * strideY - top + ky) * inputWidth - left + kx
                        let patchRow = row + oy * outputWidth
                        for ox in cols { patches[patchRow &+ ox] = x[inputRow &+ ox &* strideX] }
                    }
                }
            }
        }

        /// Adds one input plane convolved with one kernel into one output plane. The loops visit only output
        /// positions whose input tap is inside the image, so zero padding costs nothing and the inner loop has
        /// no branches.
        func accumulate(into y: UnsafeMutableBufferPointer<Float>, plane: Int, from x: UnsafeBufferPointer<Float>,
                        inputPlane: Int, weights w: UnsafeBufferPointer<Float>, kernelStart: Int) {
            for ky in 0..<kernelHeight {
                let rows = inBounds(tap: ky, before: top, stride: strideY, input: inputHeight, output: outputHeight)
                for kx in 0..<kernelWidth {
                    let cols = inBounds(tap: kx, before: left, stride: strideX, input: inputWidth, output: outputWidth)
                    let tap = w[kernelStart + ky * kernelWidth + kx]
                    for oy in rows {
                        let inputRow = inputPlane + (oy * strideY - top + ky) * inputWidth - left + kx
                        let outputRow = plane + oy * outputWidth
                        // Wrapping index arithmetic (the ranges above keep it in bounds) and a contiguous stride-1
                        // case let the compiler vectorize this loop.
                        if strideX == 1 {
                            for ox in cols { y[outputRow &+ ox] += tap * x[inputRow &+ ox] }
                        } else {
                            for ox in cols { y[outputRow &+ ox] += tap * x[inputRow &+ ox &* strideX] }
                        }
                    }
                }
            }
        }
    }

    /// Output positions `o` whose tap `o·stride − before + tap` lies in `0..<input`.
    static func inBounds(tap: Int, before: Int, stride: Int, input: Int, output: Int) -> Range<Int> {
        let lowest = before - tap > 0 ? (before - tap + stride - 1) / stride : 0
        let last = input - 1 + before - tap
        guard last >= 0 else { return 0..<0 }
        let end = min(output, last / stride + 1)
        return lowest..<max(lowest, end)
    }

    private static func finish(_ y: UnsafeMutableBufferPointer<Float>, plane: Int, count: Int, bias: Float, relu: Bool) {
        for i in plane..<(plane + count) {
            let value = y[i] + bias
            y[i] = relu ? rectify(value) : value
        }
    }

    /// `max(0, v)`, letting NaN through so a broken upstream value is not silently hidden.
    @inline(__always) static func rectify(_ v: Float) -> Float { v < 0 ? 0 : v }

    /// Max pooling. Window positions outside the input (padding=same) are ignored, as if padded with −∞.
    static func maxPool(_ x: [Float], n: Int, input: Shape, output: Shape, attributes a: PoolAttributes) -> [Float] {
        pool(x, n: n, input: input, output: output, attributes: a, average: false)
    }

    /// Average pooling over the in-bounds part of each window: the divisor is the number of input elements the
    /// window covers, not its nominal size (PyTorch `count_include_pad=False`).
    static func avgPool(_ x: [Float], n: Int, input: Shape, output: Shape, attributes a: PoolAttributes) -> [Float] {
        pool(x, n: n, input: input, output: output, attributes: a, average: true)
    }

    private static func pool(_ x: [Float], n: Int, input: Shape, output: Shape, attributes a: PoolAttributes,
                             average: Bool) -> [Float] {
        let g = Window(input: input, output: output, kernel: a.size, stride: a.stride, padding: a.padding)
        var y = [Float](repeating: 0, count: n * output.elementCount)
        var i = 0
        for plane in 0..<(n * input.channels) {
            let inputPlane = plane * g.inputPlane
            for oy in 0..<g.outputHeight {
                // The window clipped to the input; with padding=same it always keeps at least one element.
                let firstRow = max(0, oy * g.strideY - g.top)
                let endRow = min(g.inputHeight, oy * g.strideY - g.top + g.kernelHeight)
                for ox in 0..<g.outputWidth {
                    let firstCol = max(0, ox * g.strideX - g.left)
                    let endCol = min(g.inputWidth, ox * g.strideX - g.left + g.kernelWidth)
                    var largest = -Float.infinity
                    var sum: Float = 0
                    for iy in firstRow..<endRow {
                        for ix in firstCol..<endCol {
                            let value = x[inputPlane + iy * g.inputWidth + ix]
                            largest = max(largest, value)
                            sum += value
                        }
                    }
                    y[i] = average ? sum / Float((endRow - firstRow) * (endCol - firstCol)) : largest
                    i += 1
                }
            }
        }
        return y
    }

    /// Mean of each channel's H×W plane: `[C, H, W]` → `[C]`.
    static func globalAvgPool(_ x: [Float], n: Int, input: Shape) -> [Float] {
        let planeSize = input.height * input.width
        var y = [Float](repeating: 0, count: n * input.channels)
        for plane in 0..<(n * input.channels) {
            var sum: Float = 0
            for i in 0..<planeSize { sum += x[plane * planeSize + i] }
            y[plane] = sum / Float(planeSize)
        }
        return y
    }

    /// `y[o] = bias[o] + Σ_i w[o, i] · x[i]`, weight `[out, in]`, `x` the example flattened in CHW order.
    static func dense(_ x: [Float], n: Int, inputCount: Int, units: Int, weight: [Float], bias: [Float],
                      relu: Bool) -> [Float] {
        var y = [Float](repeating: 0, count: n * units)
        x.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                for b in 0..<n {
                    for o in 0..<units {
                        var sum: Float = 0
                        let row = o * inputCount
                        let example = b * inputCount
                        for i in 0..<inputCount { sum += w[row &+ i] * x[example &+ i] }
                        let value = sum + (bias.isEmpty ? 0 : bias[o])
                        y[b * units + o] = relu ? rectify(value) : value
                    }
                }
            }
        }
        return y
    }

    static func relu(_ x: [Float]) -> [Float] { x.map(rectify) }

    /// Inference-mode batch normalization per channel: `y = (x − mean) / sqrt(var + ε) · γ + β`, using the running
    /// statistics. A flat input normalizes each feature as its own channel.
    static func batchNorm(_ x: [Float], n: Int, shape: Shape, gamma: [Float], beta: [Float], mean: [Float],
                          variance: [Float], epsilon: Float) -> [Float] {
        let planeSize = shape.height * shape.width
        var y = [Float](repeating: 0, count: x.count)
        for b in 0..<n {
            for c in 0..<shape.channels {
                let deviation = (variance[c] + epsilon).squareRoot()
                let plane = (b * shape.channels + c) * planeSize
                for i in plane..<(plane + planeSize) {
                    y[i] = (x[i] - mean[c]) / deviation * gamma[c] + beta[c]
                }
            }
        }
        return y
    }

    /// Elementwise sum of equally shaped inputs, left to right, then optional relu.
    static func add(_ inputs: [[Float]], relu: Bool) -> [Float] {
        var y = inputs.first ?? []
        for other in inputs.dropFirst() {
            for i in y.indices { y[i] += other[i] }
        }
        return relu ? y.map(rectify) : y
    }

    /// Joins inputs along channels (or features, when flat). In CHW layout that is, per example, the inputs'
    /// blocks one after another.
    static func concat(_ inputs: [[Float]], n: Int, shapes: [Shape], relu: Bool) -> [Float] {
        var y: [Float] = []
        y.reserveCapacity(inputs.reduce(0) { $0 + $1.count })
        for b in 0..<n {
            for (values, shape) in zip(inputs, shapes) {
                let size = shape.elementCount
                y.append(contentsOf: values[(b * size)..<((b + 1) * size)])
            }
        }
        return relu ? y.map(rectify) : y
    }

    /// Numerically stable softmax over each example's features: `exp(x − max) / Σ exp(x − max)`.
    static func softmax(_ x: [Float], n: Int, features: Int) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        for b in 0..<n {
            let row = (b * features)..<((b + 1) * features)
            let largest = x[row].max() ?? 0
            var sum: Float = 0
            for i in row {
                y[i] = Foundation.exp(x[i] - largest)
                sum += y[i]
            }
            for i in row { y[i] /= sum }
        }
        return y
    }
}
