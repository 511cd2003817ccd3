import Dispatch
import Foundation
import NetSpec

/// Per-thread scratch: GEMM packing buffers, an im2col matrix and a gather buffer, sized once for the largest
/// layer.
final class WorkerContext {
    let workspace = GEMMWorkspace()
    let columns: FloatBuffer
    let scratch: FloatBuffer

    init(columns: Int, scratch: Int) {
        self.columns = FloatBuffer(count: columns)
        self.scratch = FloatBuffer(count: scratch)
    }
}

/// The network laid out for batched training: every layer's activations and gradients for `capacity` images
/// (row-major CHW per image, images consecutive). Each pass splits the batch into one contiguous slice per
/// worker and runs layer by layer, so batchnorm can combine statistics across workers between phases.
final class TrainingGraph {
    /// im2col matrices are capped near this many floats (1 MiB) so they stay in cache while multiplied.
    static let columnBudget = 1 << 18

    let network: Network
    let capacity: Int
    let workers: Int
    let store: ParameterStore
    let nodes: [GraphNode]
    let networkInput: FloatBuffer
    let inputSize: Int
    /// The node whose output are the logits the loss reads: the input of a final softmax, else the last layer.
    let logitsNode: Int
    let contexts: [WorkerContext]
    /// Set by `forward`; the batch being processed.
    private(set) var batch = 0

    init(network: Network, capacity: Int, workers: Int) throws(TrainingError) {
        guard let last = network.layers.last else { throw .unsupportedNetwork("\(network.file) has no layers") }
        guard last.outputShape.isFlat else {
            throw .unsupportedNetwork("\(network.file): the output must be a flat vector of class scores, found \(last.outputShape)")
        }
        self.network = network
        self.capacity = capacity
        self.workers = workers
        let store = ParameterStore(network: network, workers: workers)
        self.store = store
        nodes = network.layers.enumerated().map { GraphNode(index: $0, layer: $1, batch: capacity, store: store) }
        inputSize = network.input.shape.elementCount
        networkInput = FloatBuffer(count: capacity * inputSize)
        if case .softmax = last.op, case .layer(let producer)? = last.inputs.first {
            logitsNode = producer
        } else {
            logitsNode = network.layers.count - 1
        }
        var hasParameters = false
        for node in nodes {
            node.needsInputGradient = hasParameters
            if node.weight != nil || node.bias != nil { hasParameters = true }
        }
        let perWorker = (capacity + workers - 1) / workers
        var columnSize = 1, scratchSize = 1
        for node in nodes {
            guard case .conv2d(let a) = node.layer.op, let g = node.window else { continue }
            let perImage = g.patchSize * g.outputPixels
            let chunk = Self.chunkImages(perImage: perImage, limit: perWorker)
            let length = g.outputPixels * chunk
            columnSize = max(columnSize, GEMMWorkspace.packedSize(k: g.patchSize, n: length),
                             GEMMWorkspace.packedSize(k: length, n: g.patchSize), g.patchSize * length)
            scratchSize = max(scratchSize, a.filters * g.outputPixels * chunk)
        }
        contexts = (0..<workers).map { _ in WorkerContext(columns: columnSize, scratch: scratchSize) }
    }

    static func chunkImages(perImage: Int, limit: Int) -> Int {
        max(1, min(limit, columnBudget / max(perImage, 1)))
    }

    /// Images `[start, end)` of the current batch handled by worker `w`.
    func slice(_ w: Int) -> Range<Int> { (w * batch / workers)..<((w + 1) * batch / workers) }

    /// Runs `body(w)` for every worker, concurrently. Workers only write their own batch slice, their own
    /// gradient buffers and their own result slots, which is why handing the closure across threads is sound.
    func parallel(_ body: (Int) -> Void) {
        if workers == 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { shared.value($0) }
        }
    }

    func inputValues(_ node: GraphNode, _ k: Int) -> UnsafeMutablePointer<Float> {
        if let producer = node.inputs[k] { return nodes[producer].output.pointer }
        return networkInput.pointer
    }

    /// The gradient buffer of input `k`, or nil for the network input (never needed).
    func inputGradient(_ node: GraphNode, _ k: Int) -> UnsafeMutablePointer<Float>? {
        guard let producer = node.inputs[k] else { return nil }
        return nodes[producer].gradient.pointer
    }

    /// Runs every layer up to the logits on the first `batch` images of `networkInput`. In training mode
    /// batchnorm uses (and updates running estimates from) batch statistics and dropout draws masks from
    /// `(seed, step)`; in evaluation mode both act as at inference.
    func forward(batch: Int, training: Bool, seed: UInt64 = 0, step: UInt64 = 0) {
        precondition(batch > 0 && batch <= capacity, "TrainingGraph: batch \(batch) outside 1...\(capacity)")
        self.batch = batch
        for node in nodes[...logitsNode] {
            switch node.layer.op {
            case .conv2d: parallel { convolutionForward(node, $0) }
            case .depthwiseConv2d: parallel { depthwiseForward(node, $0) }
            case .maxPool: parallel { maxPoolForward(node, $0) }
            case .avgPool: parallel { avgPoolForward(node, $0) }
            case .globalAvgPool: parallel { globalAvgPoolForward(node, $0) }
            case .dense: parallel { denseForward(node, $0) }
            case .flatten: parallel { copyForward(node, $0) }
            case .relu: parallel { reluForward(node, $0) }
            case .batchNorm: batchNormForward(node, training: training)
            case .dropout:
                if training { parallel { dropoutForward(node, $0, seed: seed, step: step) } } else { parallel { copyForward(node, $0) } }
            case .add: parallel { addForward(node, $0) }
            case .concat: parallel { concatForward(node, $0) }
            case .softmax: parallel { softmaxForward(node, $0) }
            }
        }
    }

    /// Softmax cross-entropy on the logits of the current batch; writes d(mean loss)/d(logits) into the logits
    /// node's gradient. Returns the summed loss and the number of correct predictions.
    /// With `smoothing` ε the target is 1 − ε for the label and ε/(K−1) for every other class.
    func softmaxCrossEntropy(labels: UnsafePointer<UInt8>, smoothing: Float = 0) -> (loss: Double, correct: Int) {
        let node = nodes[logitsNode]
        let classes = node.outputSize
        var losses = [Double](repeating: 0, count: workers)
        var corrects = [Int](repeating: 0, count: workers)
        let scale = 1 / Float(batch)
        let other = classes > 1 ? smoothing / Float(classes - 1) : 0
        let target = 1 - smoothing
        losses.withUnsafeMutableBufferPointer { lossSlots in
            corrects.withUnsafeMutableBufferPointer { correctSlots in
                parallel { w in
                    var loss = 0.0, correct = 0
                    for image in slice(w) {
                        let logits = node.output.pointer + image * classes
                        let gradient = node.gradient.pointer + image * classes
                        var best = 0
                        for k in 1..<classes where logits[k] > logits[best] { best = k }
                        let label = Int(labels[image])
                        if best == label { correct += 1 }
                        let top = logits[best]
                        var sum: Float = 0
                        for k in 0..<classes {
                            let e = exp(logits[k] - top)
                            gradient[k] = e
                            sum += e
                        }
                        var expected: Float = 0
                        for k in 0..<classes { expected += (k == label ? target : other) * (logits[k] - top) }
                        loss += Double(log(sum) - expected)
                        let inverse = 1 / sum
                        for k in 0..<classes { gradient[k] = (gradient[k] * inverse - (k == label ? target : other)) * scale }
                    }
                    lossSlots[w] = loss
                    correctSlots[w] = correct
                }
            }
        }
        return (losses.reduce(0, +), corrects.reduce(0, +))
    }

    /// Backpropagates the gradient `softmaxCrossEntropy` left on the logits into every worker's parameter
    /// gradients, then sums them into `store.gradients`.
    func backward() {
        store.zeroWorkerGradients()
        for node in nodes[..<logitsNode] { node.gradient.pointer.update(repeating: 0, count: batch * node.outputSize) }
        for node in nodes[...logitsNode].reversed() {
            switch node.layer.op {
            case .conv2d: parallel { convolutionBackward(node, $0) }
            case .depthwiseConv2d: parallel { depthwiseBackward(node, $0) }
            case .maxPool: parallel { maxPoolBackward(node, $0) }
            case .avgPool: parallel { avgPoolBackward(node, $0) }
            case .globalAvgPool: parallel { globalAvgPoolBackward(node, $0) }
            case .dense: parallel { denseBackward(node, $0) }
            case .flatten: parallel { copyBackward(node, $0) }
            case .relu: parallel { reluBackward(node, $0) }
            case .batchNorm: batchNormBackward(node)
            case .dropout: parallel { dropoutBackward(node, $0) }
            case .add: parallel { addBackward(node, $0) }
            case .concat: parallel { concatBackward(node, $0) }
            case .softmax: parallel { softmaxBackward(node, $0) }
            }
        }
        store.reduceGradients()
    }

    /// Zeroes the gradient where a fused ReLU clipped the output.
    func maskFusedActivation(_ node: GraphNode, _ range: Range<Int>) {
        guard node.layer.op.fusedActivation == .relu else { return }
        let start = range.lowerBound * node.outputSize, end = range.upperBound * node.outputSize
        let output = node.output.pointer, gradient = node.gradient.pointer
        for i in start..<end where output[i] <= 0 { gradient[i] = 0 }
    }

    func applyFusedActivation(_ node: GraphNode, _ range: Range<Int>) {
        guard node.layer.op.fusedActivation == .relu else { return }
        let start = range.lowerBound * node.outputSize, end = range.upperBound * node.outputSize
        let output = node.output.pointer
        for i in start..<end { output[i] = max(output[i], 0) }
    }
}

/// Wraps a value whose concurrent use is made safe by construction (disjoint writes), not by the type system.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
