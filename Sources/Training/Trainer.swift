import Foundation
import ModelIO
import NetSpec

/// Trains a network on labeled images. Deterministic: the initial weights, the order of images, every
/// augmentation and every dropout mask derive from the configuration's seed and the (epoch, image, step)
/// they belong to, never from thread timing, so a given seed and thread count reproduce the same bytes and a
/// resumed run continues exactly where an uninterrupted one would be.
public final class Trainer {
    public let network: Network
    public let configuration: TrainingConfiguration
    let graph: TrainingGraph
    let optimizer: OptimizerState
    private let augmenter: Augmenter
    private var labels: [UInt8]
    /// Epochs completed (also restored from checkpoints).
    public private(set) var completedEpochs = 0
    public private(set) var history: [EpochSummary] = []

    public init(network: Network, configuration: TrainingConfiguration,
                initialParameters: [String: Tensor]? = nil) throws(TrainingError) {
        try configuration.validate()
        guard network.input.shape.isSpatial || network.input.shape.isFlat else {
            throw .unsupportedNetwork("\(network.file): input shape \(network.input.shape) is neither CxHxW nor flat")
        }
        self.network = network
        self.configuration = configuration
        graph = try TrainingGraph(network: network, capacity: configuration.batchSize, workers: configuration.threads)
        optimizer = OptimizerState(kind: configuration.optimizer, weightDecay: configuration.weightDecay, store: graph.store)
        augmenter = Augmenter(input: network.input, options: configuration.augmentation)
        labels = [UInt8](repeating: 0, count: configuration.batchSize)
        if let initialParameters {
            try graph.store.load(initialParameters)
        } else {
            Initialization.initialize(graph.store, network: network, seed: configuration.seed)
        }
    }

    func restoreProgress(completedEpochs: Int, history: [EpochSummary]) {
        self.completedEpochs = completedEpochs
        self.history = history
    }

    /// The current weights: every tensor the network's weights file holds.
    public var parameters: [String: Tensor] { graph.store.tensors }

    /// Trains from `completedEpochs` to `configuration.epochs` (or `stopAfter`, to simulate an interruption),
    /// evaluating `validation` after every epoch and calling `onEpochEnd` (e.g. to write a checkpoint).
    @discardableResult
    public func train(_ training: LabeledImages, validation: LabeledImages?, stopAfter: Int? = nil,
                      progress: (ProgressEvent) -> Void = { _ in },
                      onEpochEnd: (Trainer) throws -> Void = { _ in }) throws -> TrainingResult {
        let inputSize = network.input.shape.elementCount
        guard training.pixelsPerImage == inputSize else {
            throw TrainingError.invalidData("images have \(training.pixelsPerImage) pixels, \(network.file) expects \(inputSize) (\(network.input.shape))")
        }
        guard training.count > 0 else { throw TrainingError.invalidData("no training images") }
        let classes = network.outputShape.elementCount
        if let bad = training.labels.first(where: { Int($0) >= classes }) {
            throw TrainingError.invalidData("label \(bad) is outside the network's \(classes) classes")
        }
        let batchSize = min(configuration.batchSize, training.count)
        let stepsPerEpoch = training.count / batchSize
        let totalSteps = stepsPerEpoch * configuration.epochs
        let lastEpoch = min(stopAfter ?? configuration.epochs, configuration.epochs)
        let start = Date()
        var imagesDone = 0
        while completedEpochs < lastEpoch {
            let epoch = completedEpochs + 1
            let epochStart = Date()
            var order = Array(0..<training.count)
            var shuffler = RandomGenerator(seed: configuration.seed, stream: [1, UInt64(epoch)])
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, shuffler.index(below: i + 1)) }
            var lossSum = 0.0, correct = 0, seen = 0
            var learningRate: Float = 0
            for batch in 0..<stepsPerEpoch {
                let indices = order[(batch * batchSize)..<((batch + 1) * batchSize)]
                fillBatch(training, indices: Array(indices), epoch: epoch)
                let step = (epoch - 1) * stepsPerEpoch + batch
                graph.forward(batch: batchSize, training: true, seed: configuration.seed, step: UInt64(step))
                let (loss, right) = labels.withUnsafeBufferPointer {
                    graph.softmaxCrossEntropy(labels: $0.baseAddress!, smoothing: configuration.labelSmoothing)
                }
                guard loss.isFinite else {
                    throw TrainingError.nonFiniteLoss(epoch: epoch, batch: batch + 1, loss: Float(loss / Double(batchSize)))
                }
                graph.backward()
                learningRate = configuration.schedule.rate(peak: configuration.learningRate, step: step,
                                                           totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch)
                optimizer.apply(to: graph.store, learningRate: learningRate)
                lossSum += loss
                correct += right
                seen += batchSize
                imagesDone += batchSize
                let elapsed = Date().timeIntervalSince(start)
                let rate = Double(imagesDone) / max(elapsed, 1e-9)
                let remainingImages = (lastEpoch - epoch) * stepsPerEpoch * batchSize + (stepsPerEpoch - batch - 1) * batchSize
                progress(.batch(BatchProgress(epoch: epoch, epochs: configuration.epochs, batch: batch + 1,
                                              batches: stepsPerEpoch, loss: lossSum / Double(seen),
                                              accuracy: Double(correct) / Double(seen), imagesPerSecond: rate,
                                              elapsed: elapsed, remaining: Double(remainingImages) / rate)))
            }
            let trainSeconds = Date().timeIntervalSince(epochStart)
            let evaluation = validation.map { evaluate($0) }
            completedEpochs = epoch
            let summary = EpochSummary(epoch: epoch, learningRate: learningRate, trainLoss: lossSum / Double(seen),
                                       trainAccuracy: Double(correct) / Double(seen),
                                       validationLoss: evaluation?.loss, validationAccuracy: evaluation?.accuracy,
                                       seconds: Date().timeIntervalSince(epochStart),
                                       imagesPerSecond: Double(seen) / max(trainSeconds, 1e-9))
            history.append(summary)
            progress(.epoch(summary))
            try onEpochEnd(self)
        }
        return TrainingResult(parameters: parameters, history: history)
    }

    /// Mean loss and accuracy with batchnorm running statistics and without dropout or augmentation.
    public func evaluate(_ data: LabeledImages) -> (loss: Double, accuracy: Double) {
        guard data.count > 0 else { return (0, 0) }
        var lossSum = 0.0, correct = 0
        var first = 0
        while first < data.count {
            let count = min(configuration.batchSize, data.count - first)
            fillBatch(data, indices: Array(first..<(first + count)), epoch: nil)
            graph.forward(batch: count, training: false)
            let (loss, right) = labels.withUnsafeBufferPointer { graph.softmaxCrossEntropy(labels: $0.baseAddress!) }
            lossSum += loss
            correct += right
            first += count
        }
        return (lossSum / Double(data.count), Double(correct) / Double(data.count))
    }

    /// Class scores (logits) for every image, in evaluation mode.
    public func logits(_ data: LabeledImages) -> [Float] {
        let classes = graph.nodes[graph.logitsNode].outputSize
        var result = [Float](repeating: 0, count: data.count * classes)
        var first = 0
        while first < data.count {
            let count = min(configuration.batchSize, data.count - first)
            fillBatch(data, indices: Array(first..<(first + count)), epoch: nil)
            graph.forward(batch: count, training: false)
            for i in 0..<(count * classes) { result[first * classes + i] = graph.nodes[graph.logitsNode].output.pointer[i] }
            first += count
        }
        return result
    }

    /// Normalized (and, when `epoch` is given and augmentation is on, distorted) images into the graph input.
    private func fillBatch(_ data: LabeledImages, indices: [Int], epoch: Int?) {
        let size = data.pixelsPerImage
        for (slot, index) in indices.enumerated() { labels[slot] = data.labels[index] }
        let augment = epoch != nil && configuration.augmentation.enabled
        let seed = configuration.seed
        let input = graph.networkInput.pointer
        let augmenter = self.augmenter
        let workers = graph.workers
        data.pixels.withUnsafeBufferPointer { pixels in
            indices.withUnsafeBufferPointer { indices in
                graph.parallel { w in
                    for slot in (w * indices.count / workers)..<((w + 1) * indices.count / workers) {
                        let source = pixels.baseAddress! + indices[slot] * size
                        let destination = input + slot * size
                        if augment, let epoch {
                            var random = RandomGenerator(seed: seed, stream: [2, UInt64(epoch), UInt64(indices[slot])])
                            augmenter.distort(source, into: destination, random: &random)
                        } else {
                            augmenter.copy(source, into: destination)
                        }
                    }
                }
            }
        }
    }
}
