import NetSpec

/// One layer of the training graph: its output and gradient buffers for a whole batch, plus what its backward
/// pass needs from the forward pass.
final class GraphNode {
    let index: Int
    let layer: Layer
    /// Producers: `nil` is the network input.
    let inputs: [Int?]
    let inputSizes: [Int]
    let outputSize: Int
    let output: FloatBuffer
    let gradient: FloatBuffer
    /// Parameter indices in the store (weight/gamma, bias/beta, running mean, running var) when present.
    let weight: Int?
    let bias: Int?
    let runningMean: Int?
    let runningVariance: Int?
    let window: WindowGeometry?
    /// Max-pool winners (input offsets within the image) or dropout keep-masks, sized for a full batch.
    let winners: IndexBuffer?
    let mask: FloatBuffer?
    /// Batchnorm statistics of the current batch.
    let batchMean: FloatBuffer?
    let batchInverseStd: FloatBuffer?
    /// Whether any layer before this one has parameters, i.e. whether the input gradient is needed.
    var needsInputGradient = true

    init(index: Int, layer: Layer, batch: Int, store: ParameterStore) {
        self.index = index
        self.layer = layer
        inputs = layer.inputs.map { input in
            switch input {
            case .networkInput: nil
            case .layer(let producer): producer
            }
        }
        inputSizes = layer.inputShapes.map(\.elementCount)
        outputSize = layer.outputShape.elementCount
        output = FloatBuffer(count: batch * outputSize)
        gradient = FloatBuffer(count: batch * outputSize)
        weight = store.index(of: layer.name, .weight)
        bias = store.index(of: layer.name, .bias)
        runningMean = store.index(of: layer.name, .runningMean)
        runningVariance = store.index(of: layer.name, .runningVar)
        let input = layer.inputShapes.first ?? Shape([])
        switch layer.op {
        case .conv2d(let a):
            window = WindowGeometry(input: input, kernel: a.kernel, stride: a.stride, padding: a.padding)
        case .depthwiseConv2d(let a):
            window = WindowGeometry(input: input, kernel: a.kernel, stride: a.stride, padding: a.padding)
        case .maxPool(let a), .avgPool(let a):
            window = WindowGeometry(input: input, kernel: a.size, stride: a.stride, padding: a.padding)
        default:
            window = nil
        }
        if case .maxPool = layer.op { winners = IndexBuffer(count: batch * outputSize) } else { winners = nil }
        if case .dropout = layer.op { mask = FloatBuffer(count: batch * outputSize) } else { mask = nil }
        if case .batchNorm = layer.op {
            batchMean = FloatBuffer(count: input.channels)
            batchInverseStd = FloatBuffer(count: input.channels)
        } else {
            batchMean = nil
            batchInverseStd = nil
        }
    }
}
