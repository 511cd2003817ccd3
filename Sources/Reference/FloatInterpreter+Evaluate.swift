import ModelIO

extension FloatInterpreter {
    /// Classifies `labels.count` raw images (pixels back to back, `network.input.shape` each) in batches of
    /// `batchSize` — so memory stays bounded on the full test set — and scores the argmax predictions.
    public func evaluate(pixels: [UInt8], labels: [Int], batchSize: Int = 256) throws(InterpreterError) -> Evaluation {
        let perImage = network.input.shape.elementCount
        guard pixels.count == labels.count * perImage else {
            throw InterpreterError("\(pixels.count) pixels for \(labels.count) labels; expected \(labels.count * perImage) "
                + "(\(network.input.shape) per image)")
        }
        let step = max(1, batchSize)
        var predictions: [Int] = []
        predictions.reserveCapacity(labels.count)
        for start in stride(from: 0, to: labels.count, by: step) {
            let count = min(step, labels.count - start)
            let batch = InputPreprocessing.batch(from: pixels[(start * perImage)..<((start + count) * perImage)],
                                                 count: count, input: network.input)
            predictions += Evaluation.predictedClasses(from: try logits(batch))
        }
        return try Evaluation(predictions: predictions, labels: labels, classNames: network.labels)
    }
}
