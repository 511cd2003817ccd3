import ModelIO

/// Classification quality from predicted and true class indices: accuracy, confusion matrix and per-class
/// precision / recall / F1 / support (the numbers of sklearn's `classification_report`).
public struct Evaluation: Sendable, Equatable {
    public struct ClassMetrics: Sendable, Equatable {
        /// Of the images predicted as this class, the fraction that are this class (0 when none were predicted).
        public var precision: Double
        /// Of the images of this class, the fraction predicted as it (0 when there are none).
        public var recall: Double
        /// Harmonic mean of precision and recall (0 when both are 0).
        public var f1: Double
        /// Images whose true class is this one.
        public var support: Int

        public init(precision: Double, recall: Double, f1: Double, support: Int) {
            self.precision = precision
            self.recall = recall
            self.f1 = f1
            self.support = support
        }
    }

    /// Class names, one per class index (the spec's labels).
    public let classNames: [String]
    public let predictions: [Int]
    public let truth: [Int]
    /// `confusion[true][predicted]` counts.
    public let confusion: [[Int]]
    public let perClass: [ClassMetrics]

    /// Fails if the lists differ in length or hold a class index outside `classNames`.
    public init(predictions: [Int], labels: [Int], classNames: [String]) throws(InterpreterError) {
        guard predictions.count == labels.count else {
            throw InterpreterError("evaluation has \(predictions.count) predictions but \(labels.count) labels")
        }
        let classes = classNames.count
        if let bad = labels.firstIndex(where: { !(0..<classes).contains($0) }) {
            throw InterpreterError("label \(labels[bad]) at index \(bad) is not a class index 0..<\(classes)")
        }
        if let bad = predictions.firstIndex(where: { !(0..<classes).contains($0) }) {
            throw InterpreterError("prediction \(predictions[bad]) at index \(bad) is not a class index 0..<\(classes)")
        }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (actual, predicted) in zip(labels, predictions) { confusion[actual][predicted] += 1 }

        self.classNames = classNames
        self.predictions = predictions
        self.truth = labels
        self.confusion = confusion
        self.perClass = (0..<classes).map { c in
            let truePositives = Double(confusion[c][c])
            let support = confusion[c].reduce(0, +)
            let predicted = confusion.reduce(0) { $0 + $1[c] }
            let precision = predicted == 0 ? 0 : truePositives / Double(predicted)
            let recall = support == 0 ? 0 : truePositives / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return ClassMetrics(precision: precision, recall: recall, f1: f1, support: support)
        }
    }

    public var total: Int { truth.count }
    public var correct: Int { zip(truth, predictions).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) } }
    /// `correct / total`, 0 for an empty evaluation.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Unweighted mean over all classes (classes without support count, with their zeros, as in sklearn).
    public var macroAverage: ClassMetrics {
        let count = Double(max(perClass.count, 1))
        return ClassMetrics(precision: perClass.reduce(0) { $0 + $1.precision } / count,
                            recall: perClass.reduce(0) { $0 + $1.recall } / count,
                            f1: perClass.reduce(0) { $0 + $1.f1 } / count,
                            support: total)
    }

    /// Mean over classes weighted by support.
    public var weightedAverage: ClassMetrics {
        let weight = Double(max(total, 1))
        func mean(_ value: (ClassMetrics) -> Double) -> Double {
            perClass.reduce(0) { $0 + value($1) * Double($1.support) } / weight
        }
        return ClassMetrics(precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1), support: total)
    }

    /// The class with the highest score in each row of an `[N, classes]` output (the first one on ties).
    public static func predictedClasses(from output: Tensor) -> [Int] {
        guard output.shape.count == 2, output.shape[1] > 0 else { return [] }
        let classes = output.shape[1]
        return (0..<output.shape[0]).map { row in
            var best = 0
            for c in 1..<classes where output.scalars[row * classes + c] > output.scalars[row * classes + best] {
                best = c
            }
            return best
        }
    }
}
