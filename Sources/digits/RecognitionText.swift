import Recognition

/// The human-readable output of `digits predict` and `digits read`.
struct RecognitionText {
    var labels: [String]
    var style = TerminalStyle.plain

    /// The digit and its confidence, the bar chart of all classes, the top-K list and the stage times.
    func prediction(file: String, _ prediction: DigitPrediction, times: StageTimes, top: Int) -> String {
        var text = "\(file): " + style.bold(label(prediction.digit)) + " (\(percent(prediction.confidence)))\n"
        text += ProbabilityChart(style: style).render(prediction.probabilities, labels: labels, predicted: prediction.digit)
        text += "top \(top): " + prediction.top(top).map { "\(label($0.digit)) \(percent($0.probability))" }.joined(separator: ", ") + "\n"
        text += latency(times) + "\n"
        return text
    }

    /// The string, then one row per digit: confidence and where its ink is in the image.
    func reading(file: String, _ reading: NumberReading, times: StageTimes) -> String {
        var text = "\(file): " + style.bold(reading.digits.map { label($0.digit) }.joined())
            + " (least confident digit \(percent(reading.confidence)))\n"
        let rows = reading.digits.enumerated().map { index, digit -> [String] in
            let box = digit.input.inkBox
            return [String(index + 1), label(digit.digit), percent(digit.confidence),
                    "x \(box.minX)…\(box.maxX), y \(box.minY)…\(box.maxY) (\(box.width)×\(box.height))"]
        }
        let header = ["#", "digit", "confidence", "ink box in the image"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let cells = row.enumerated().map { column, cell in
                let fill = String(repeating: " ", count: widths[column] - cell.count)
                // Numbers right-aligned, the box text left-aligned.
                return column == row.count - 1 ? cell : fill + cell
            }
            text += "  " + cells.joined(separator: "  ") + "\n"
        }
        text += latency(times, preprocessName: "segment") + "\n"
        return text
    }

    func latency(_ times: StageTimes, preprocessName: String = "preprocess") -> String {
        func ms(_ seconds: Double) -> String { NumberText.fixed(seconds * 1000, decimals: 3) + " ms" }
        return "latency: decode \(ms(times.decode)), \(preprocessName) \(ms(times.preprocess)), "
            + "inference \(ms(times.inference)), total \(ms(times.total))"
    }

    private func label(_ digit: Int) -> String { digit < labels.count ? labels[digit] : String(digit) }

    /// `0.99817` → `99.82 %`.
    func percent(_ probability: Double) -> String { NumberText.fixed(probability * 100, decimals: 2) + " %" }
}
