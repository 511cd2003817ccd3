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
    static func conv2d(_ x: [Float], n: Int, input: Shape, output: Shape, weight: [Float], bias: [Float],
                       kernel: Size2, stride: Size2, padding: Padding, relu: Bool) -> [Float] {
        let channels = input.channels
        let filters = output.channels
        let rows = padding.amounts(input: input.height, kernel: kernel.height, stride: stride.height)
        let cols = padding.amounts(input: input.width, kernel: kernel.width, stride: stride.width)
        var y = [Float](repeating: 0, count: n * output.elementCount)
        x.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { y in
                    for b in 0..<n {
                        for f in 0..<filters {
                            let plane = (b * filters + f) * output.height * output.width
                            for c in 0..<channels {
                                let inputPlane = (b * channels + c) * input.height * input.width
                                let weightBase = (f * channels + c) * kernel.height * kernel.width
                                accumulate(into: y, plane: plane, from: x, inputPlane: inputPlane, input: input,
                                           output: output, weights: w, weightBase: weightBase, kernel: kernel,
                                           stride: stride, top: rows.before, left: cols.before)
                            }
                            finish(y, plane: plane, count: output.height * output.width,
                                   bias: bias.isEmpty ? 0 : bias[f], relu: relu)
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
        let channels = input.channels
        let outChannels = output.channels
        let rows = padding.amounts(input: input.height, kernel: kernel.height, stride: stride.height)
        let cols = padding.amounts(input: input.width, kernel: kernel.width, stride: stride.width)
        var y = [Float](repeating: 0, count: n * output.elementCount)
        x.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { y in
                    for b in 0..<n {
                        for o in 0..<outChannels {
                            let plane = (b * outChannels + o) * output.height * output.width
                            let inputPlane = (b * channels + o / multiplier) * input.height * input.width
                            accumulate(into: y, plane: plane, from: x, inputPlane: inputPlane, input: input,
                                       output: output, weights: w, weightBase: o * kernel.height * kernel.width,
                                       kernel: kernel, stride: stride, top: rows.before, left: cols.before)
                            finish(y, plane: plane, count: output.height * output.width,
                                   bias: bias.isEmpty ? 0 : bias[o], relu: relu)
                        }
                    }
                }
            }
        }
        return y
    }

    /// Adds one input plane convolved with one kernel into one output plane. The loops visit only output positions
    /// whose input tap is inside the image, so zero padding costs nothing and the inner loop has no branches.
    private static func accumulate(into y: UnsafeMutableBufferPointer<Float>, plane: Int,
                                   from x: UnsafeBufferPointer<Float>, inputPlane: Int, input: Shape, output: Shape,
                                   weights w: UnsafeBufferPointer<Float>, weightBase: Int, kernel: Size2,
                                   stride: Size2, top: Int, left: Int) {
        for ky in 0..<kernel.height {
            let outputRows = inBounds(tap: ky, before: top, stride: stride.height, input: input.height, output: output.height)
            for kx in 0..<kernel.width {
                let outputCols = inBounds(tap: kx, before: left, stride: stride.width, input: input.width, output: output.width)
                let tap = w[weightBase + ky * kernel.width + kx]
                for oy in outputRows {
                    let inputRow = inputPlane + (oy * stride.height - top + ky) * input.width - left + kx
                    let outputRow = plane + oy * output.width
                    for ox in outputCols {
                        y[outputRow + ox] += tap * x[inputRow + ox * stride.width]
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
        pool(x, n: n, input: input, output: output, attributes: a) { values in values.max() ?? 0 }
    }

    /// Average pooling over the in-bounds part of each window: the divisor is the number of input elements the
    /// window covers, not its nominal size (PyTorch `count_include_pad=False`).
    static func avgPool(_ x: [Float], n: Int, input: Shape, output: Shape, attributes a: PoolAttributes) -> [Float] {
        pool(x, n: n, input: input, output: output, attributes: a) { values in
            values.isEmpty ? 0 : values.reduce(0, +) / Float(values.count)
        }
    }

    private static func pool(_ x: [Float], n: Int, input: Shape, output: Shape, attributes a: PoolAttributes,
                             combine: ([Float]) -> Float) -> [Float] {
        let rows = a.padding.amounts(input: input.height, kernel: a.size.height, stride: a.stride.height)
        let cols = a.padding.amounts(input: input.width, kernel: a.size.width, stride: a.stride.width)
        var y = [Float](repeating: 0, count: n * output.elementCount)
        var window: [Float] = []
        window.reserveCapacity(a.size.height * a.size.width)
        var i = 0
        for plane in 0..<(n * input.channels) {
            let inputPlane = plane * input.height * input.width
            for oy in 0..<output.height {
                for ox in 0..<output.width {
                    window.removeAll(keepingCapacity: true)
                    for ky in 0..<a.size.height {
                        let iy = oy * a.stride.height - rows.before + ky
                        guard iy >= 0, iy < input.height else { continue }
                        for kx in 0..<a.size.width {
                            let ix = ox * a.stride.width - cols.before + kx
                            guard ix >= 0, ix < input.width else { continue }
                            window.append(x[inputPlane + iy * input.width + ix])
                        }
                    }
                    y[i] = combine(window)
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
                        var sum: Float = bias.isEmpty ? 0 : bias[o]
                        for i in 0..<inputCount { sum += w[o * inputCount + i] * x[b * inputCount + i] }
                        y[b * units + o] = relu ? rectify(sum) : sum
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
