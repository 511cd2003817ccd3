import ModelIO
import NetSpec

/// Runs a `Network` in plain float32: the reference every faster path (training, int8, generated kernels) is
/// checked against. Written to be obviously right rather than fast.
///
/// Semantics (the definition the rest of the project follows; see `FloatKernels` for each loop):
/// - Tensors are row-major, batch first: `[N, C, H, W]` feature maps, `[N, F]` flat vectors (PyTorch layout).
/// - `conv2d`: cross-correlation, weight `[out, in, kh, kw]`, zero padding from `Padding.amounts` (same: total
///   padding split TensorFlow-style, the odd extra pixel after), stride, optional bias, fused relu.
/// - `depthwise_conv2d`: output channel `o` reads only input channel `o / multiplier` (PyTorch `groups=C`),
///   weight `[C·multiplier, 1, kh, kw]`.
/// - `maxpool`: padded positions are ignored (as if −∞). `avgpool`: divides by the number of in-bounds elements
///   (`count_include_pad=False`). `global_avgpool`: mean over H×W, giving `[N, C]`.
/// - `dense`: weight `[out, in]`, input flattened in CHW order. `flatten`: reshape only.
/// - `batchnorm`: inference mode, `(x − running_mean) / sqrt(running_var + ε) · weight + bias`.
/// - `dropout`: identity. `relu`: `max(0, x)`.
/// - `add`: elementwise sum of all inputs; `concat`: along channels (features when flat); both with optional relu.
/// - `softmax`: `exp(x − max) / Σ exp(x − max)` per example.
/// Sums accumulate in float32, one product at a time in the order the formulas index (input channel, kernel row,
/// kernel column; or input feature), starting from 0, with the bias added last.
/// Parameters are looked up as `<layer>.weight`, `<layer>.bias`, `<layer>.running_mean`, `<layer>.running_var`.
public struct FloatInterpreter: Sendable {
    public let network: Network
    let weights: [LayerWeights]

    /// Fails unless every tensor in `network.parameters` is present with exactly its expected shape.
    /// Tensors the network does not use are ignored.
    public init(network: Network, parameters: [String: Tensor]) throws(InterpreterError) {
        var weights: [LayerWeights] = []
        for layer in network.layers {
            weights.append(try LayerWeights(layer: layer, parameters: parameters))
        }
        self.network = network
        self.weights = weights
    }

    /// The network's output for a normalized batch `[N, C, H, W]`: `[N, classes]`, probabilities if the spec
    /// ends with softmax.
    public func run(_ batch: Tensor) throws(InterpreterError) -> Tensor {
        let n = try batchSize(of: batch)
        let last = network.layers.count - 1
        let outputs = forward(batch.scalars, n: n, layers: network.layers.count, keep: [last], keepAll: false)
        return tensor(outputs[last] ?? [], n: n, shape: network.layers[last].outputShape)
    }

    /// The output before a final softmax (the class scores quantization compares); the same as `run` when the
    /// network does not end with softmax.
    public func logits(_ batch: Tensor) throws(InterpreterError) -> Tensor {
        guard let last = network.layers.last, case .softmax = last.op, let source = last.inputs.first else {
            return try run(batch)
        }
        let n = try batchSize(of: batch)
        guard case .layer(let index) = source else { return batch }
        let outputs = forward(batch.scalars, n: n, layers: network.layers.count - 1, keep: [index], keepAll: false)
        return tensor(outputs[index] ?? [], n: n, shape: network.layers[index].outputShape)
    }

    /// Every layer's output, indexed like `network.layers`, each `[N] + layer.outputShape.dims`.
    public func runAll(_ batch: Tensor) throws(InterpreterError) -> [Tensor] {
        let n = try batchSize(of: batch)
        let outputs = forward(batch.scalars, n: n, layers: network.layers.count, keep: [], keepAll: true)
        return network.layers.indices.map { tensor(outputs[$0] ?? [], n: n, shape: network.layers[$0].outputShape) }
    }

    private func batchSize(of batch: Tensor) throws(InterpreterError) -> Int {
        let expected = network.input.shape.dims
        guard batch.shape.count == expected.count + 1, Array(batch.shape.dropFirst()) == expected else {
            throw InterpreterError("input batch has shape \(batch.shape), expected [N, "
                + expected.map(String.init).joined(separator: ", ") + "] for network '\(network.name)'")
        }
        return batch.shape[0]
    }

    private func tensor(_ scalars: [Float], n: Int, shape: Shape) -> Tensor {
        Tensor(shape: [n] + shape.dims, scalars: scalars)
    }

    /// Runs the first `layers` layers. An output is dropped after its last reader unless it is in `keep` (or
    /// `keepAll`), so a batch only holds the activations still needed.
    func forward(_ input: [Float], n: Int, layers count: Int, keep: Set<Int>, keepAll: Bool) -> [[Float]?] {
        var lastReader = [Int](repeating: -1, count: count)
        for index in 0..<count {
            for case .layer(let producer) in network.layers[index].inputs { lastReader[producer] = index }
        }
        var outputs = [[Float]?](repeating: nil, count: count)
        for index in 0..<count {
            let layer = network.layers[index]
            let inputs = layer.inputs.map { source -> [Float] in
                switch source {
                case .networkInput: input
                case .layer(let producer): outputs[producer] ?? []
                }
            }
            outputs[index] = evaluate(layer, weights: weights[index], inputs: inputs, n: n)
            for case .layer(let producer) in layer.inputs
            where !keepAll && !keep.contains(producer) && lastReader[producer] == index {
                outputs[producer] = nil
            }
        }
        return outputs
    }

    /// One layer on a batch: the whole forward pass is this switch.
    func evaluate(_ layer: Layer, weights w: LayerWeights, inputs: [[Float]], n: Int) -> [Float] {
        let x = inputs.first ?? []
        let inputShape = layer.inputShapes.first ?? Shape([])
        let output = layer.outputShape
        switch layer.op {
        case .conv2d(let a):
            return FloatKernels.conv2d(x, n: n, input: inputShape, output: output, weight: w.weight, bias: w.bias,
                                       kernel: a.kernel, stride: a.stride, padding: a.padding,
                                       relu: a.activation == .relu)
        case .depthwiseConv2d(let a):
            return FloatKernels.depthwiseConv2d(x, n: n, input: inputShape, output: output, weight: w.weight,
                                                bias: w.bias, multiplier: a.multiplier, kernel: a.kernel,
                                                stride: a.stride, padding: a.padding, relu: a.activation == .relu)
        case .maxPool(let a):
            return FloatKernels.maxPool(x, n: n, input: inputShape, output: output, attributes: a)
        case .avgPool(let a):
            return FloatKernels.avgPool(x, n: n, input: inputShape, output: output, attributes: a)
        case .globalAvgPool:
            return FloatKernels.globalAvgPool(x, n: n, input: inputShape)
        case .dense(let a):
            return FloatKernels.dense(x, n: n, inputCount: inputShape.elementCount, units: a.units, weight: w.weight,
                                      bias: w.bias, relu: a.activation == .relu)
        case .flatten, .dropout:
            return x
        case .relu:
            return FloatKernels.relu(x)
        case .batchNorm(let a):
            return FloatKernels.batchNorm(x, n: n, shape: inputShape, gamma: w.weight, beta: w.bias,
                                          mean: w.runningMean, variance: w.runningVar, epsilon: a.epsilon)
        case .add(let a):
            return FloatKernels.add(inputs, relu: a.activation == .relu)
        case .concat(let a):
            return FloatKernels.concat(inputs, n: n, shapes: layer.inputShapes, relu: a.activation == .relu)
        case .softmax:
            return FloatKernels.softmax(x, n: n, features: output.elementCount)
        }
    }
}
