import Foundation

/// How `digits eval` (float32 and int8 alike) prints an `Evaluation`: an accuracy line, the confusion matrix and
/// a per-class table laid out exactly like sklearn's `classification_report` — or the same numbers as JSON.
public enum EvaluationReport {
    /// Decimals in the per-class table (sklearn's `digits`).
    public static let digits = 4

    /// Accuracy, optional throughput, confusion matrix and classification report, ending with a newline.
    public static func text(_ evaluation: Evaluation, imagesPerSecond: Double? = nil) -> String {
        var lines = [String(format: "accuracy: %.2f%%", evaluation.accuracy * 100) + " (\(evaluation.correct)/\(evaluation.total))"]
        if let imagesPerSecond {
            lines.append(String(format: "speed: %.1f images/s", imagesPerSecond))
        }
        return lines.joined(separator: "\n") + "\n\n" + confusionMatrix(evaluation) + "\n" + classificationReport(evaluation)
    }

    /// Rows are true classes, columns predicted classes, right-aligned to the widest count or class name.
    public static func confusionMatrix(_ evaluation: Evaluation) -> String {
        let corner = "true\\pred"
        let names = evaluation.classNames
        let widestCount = evaluation.confusion.joined().map { String($0).count }.max() ?? 1
        let cell = max(widestCount, names.map(\.count).max() ?? 1)
        let first = max(corner.count, names.map(\.count).max() ?? 0)
        var text = "confusion matrix (rows: true class, columns: predicted class)\n"
        text += pad(corner, first) + names.map { "  " + pad($0, cell) }.joined() + "\n"
        for (name, row) in zip(names, evaluation.confusion) {
            text += pad(name, first) + row.map { "  " + pad(String($0), cell) }.joined() + "\n"
        }
        return text
    }

    /// sklearn's `classification_report` layout, character for character (with `digits` decimals).
    public static func classificationReport(_ evaluation: Evaluation) -> String {
        let width = max(evaluation.classNames.map(\.count).max() ?? 0, "weighted avg".count, digits)
        func row(_ name: String, _ m: Evaluation.ClassMetrics) -> String {
            pad(name, width) + " " + [m.precision, m.recall, m.f1].map { " " + number($0) }.joined()
                + " " + pad(String(m.support), 9) + "\n"
        }
        var text = pad("", width) + " " + ["precision", "recall", "f1-score", "support"].map { " " + pad($0, 9) }.joined()
        text += "\n\n"
        for (name, metrics) in zip(evaluation.classNames, evaluation.perClass) { text += row(name, metrics) }
        text += "\n"
        text += pad("accuracy", width) + " " + " " + pad("", 9) + " " + pad("", 9) + " " + number(evaluation.accuracy)
            + " " + pad(String(evaluation.total), 9) + "\n"
        text += row("macro avg", evaluation.macroAverage)
        text += row("weighted avg", evaluation.weightedAverage)
        return text
    }

    /// The same numbers as JSON (keys sorted, pretty-printed). `images_per_second` is omitted when nil or not finite.
    public static func json(_ evaluation: Evaluation, imagesPerSecond: Double? = nil) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Document(evaluation, imagesPerSecond: imagesPerSecond))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The JSON document's layout.
    public struct Document: Codable, Sendable, Equatable {
        public struct Metrics: Codable, Sendable, Equatable {
            public var precision: Double
            public var recall: Double
            public var f1: Double
            public var support: Int
        }

        public struct ClassRow: Codable, Sendable, Equatable {
            public var label: String
            public var precision: Double
            public var recall: Double
            public var f1: Double
            public var support: Int
        }

        public var accuracy: Double
        public var correct: Int
        public var total: Int
        public var labels: [String]
        public var confusionMatrix: [[Int]]
        public var perClass: [ClassRow]
        public var macroAverage: Metrics
        public var weightedAverage: Metrics
        public var imagesPerSecond: Double?

        enum CodingKeys: String, CodingKey {
            case accuracy, correct, total, labels
            case confusionMatrix = "confusion_matrix"
            case perClass = "per_class"
            case macroAverage = "macro_avg"
            case weightedAverage = "weighted_avg"
            case imagesPerSecond = "images_per_second"
        }

        public init(_ e: Evaluation, imagesPerSecond: Double?) {
            func metrics(_ m: Evaluation.ClassMetrics) -> Metrics {
                Metrics(precision: m.precision, recall: m.recall, f1: m.f1, support: m.support)
            }
            accuracy = e.accuracy
            correct = e.correct
            total = e.total
            labels = e.classNames
            confusionMatrix = e.confusion
            perClass = zip(e.classNames, e.perClass).map {
                ClassRow(label: $0, precision: $1.precision, recall: $1.recall, f1: $1.f1, support: $1.support)
            }
            macroAverage = metrics(e.macroAverage)
            weightedAverage = metrics(e.weightedAverage)
            self.imagesPerSecond = imagesPerSecond.flatMap { $0.isFinite ? $0 : nil }
        }
    }

    private static func number(_ value: Double) -> String { String(format: "%9.\(digits)f", value) }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
