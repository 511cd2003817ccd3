import Foundation
import ModelIO
import Reference
import Runtime

/// `digits eval MODEL`: a compiled int8 predictor on the MNIST test set, one image at a time (batch 1, as a
/// request would run), timing inference only.
struct CompiledEvaluation {
    var choice: CompiledModelChoice

    func run(data: String?, limit: Int?) throws -> EvaluationRun {
        let info = choice.info
        guard info.inputShape == [1, 28, 28] else {
            throw CLIError("\(info.name): input is \(info.inputShape.map(String.init).joined(separator: "×")) but MNIST images are 1×28×28")
        }
        let dataset = try MNISTDataset.load(.test, from: DataDirectory.resolve(explicit: data))
        let count = min(limit ?? dataset.count, dataset.count)
        let pixels = Array(dataset.images.prefix(count * info.inputCount))
        let labels = dataset.labels.prefix(count).map(Int.init)

        let predictor = choice.entry.make(choice.path)
        var logits = [Int8](repeating: 0, count: count * info.classes)
        let clock = ContinuousClock()
        let start = clock.now
        try pixels.withUnsafeBufferPointer { input in
            try logits.withUnsafeMutableBufferPointer { output in
                try predictor.predictBatch(pixels: input, count: count, logits: output)
            }
        }
        let seconds = FloatEvaluation.seconds(clock.now - start)
        let predictions = logits.withUnsafeBufferPointer { all in
            (0..<count).map { i in
                ModelRegistry.Entry.argmax(UnsafeBufferPointer(rebasing: all[(i * info.classes)..<((i + 1) * info.classes)]))
            }
        }
        let evaluation = try Evaluation(predictions: predictions, labels: labels, classNames: info.labels)
        let title = "\(info.name) (\(info.specPath)), compiled int8 predictor, \(choice.kernels.rawValue) kernels, "
            + "weights sha256 \(info.weightsSHA256.prefix(12))"
        return EvaluationRun(title: title, evaluation: evaluation, pixels: pixels,
                             imagesPerSecond: seconds > 0 ? Double(count) / seconds : nil,
                             jsonHeader: ["model": info.name, "model_sha256": info.weightsSHA256, "kernel_path": choice.kernels.rawValue])
    }
}

extension ModelRegistry.Entry {
    /// The predicted class of one image's logits (the largest, the lowest index on ties).
    static func argmax(_ logits: UnsafeBufferPointer<Int8>) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best
    }
}
