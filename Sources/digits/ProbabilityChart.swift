/// Class probabilities as a horizontal bar chart of Unicode blocks, one row per class, the predicted class
/// marked with ▶ (and coloured green when the terminal allows):
///
///     ▶ 7 │██████████████████████████████ 99.82 %
///       8 │▏                               0.41 %
///       9 │                                0.02 %
struct ProbabilityChart {
    /// Cells of a 100 % bar; each cell is drawn in eighths.
    var width = 30
    var style = TerminalStyle.plain

    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    func render(_ probabilities: [Double], labels: [String], predicted: Int) -> String {
        let labelWidth = labels.map(\.count).max() ?? 1
        var text = ""
        for (index, probability) in probabilities.enumerated() {
            let label = index < labels.count ? labels[index] : String(index)
            let paddedLabel = String(repeating: " ", count: max(0, labelWidth - label.count)) + label
            let bar = Self.bar(probability, width: width)
            let fill = String(repeating: " ", count: max(0, width - bar.count))
            let percent = Self.percent(probability)
            if index == predicted {
                text += "▶ " + style.bold(paddedLabel) + " │" + style.green(bar) + fill + " " + style.bold(percent) + "\n"
            } else {
                text += "  " + paddedLabel + " │" + bar + fill + " " + percent + "\n"
            }
        }
        return text
    }

    /// `probability × width` cells, rounded to the nearest eighth of a cell.
    static func bar(_ probability: Double, width: Int) -> String {
        let clamped = probability.isFinite ? min(1, max(0, probability)) : 0
        let eighthsCount = Int((clamped * Double(max(0, width)) * 8).rounded())
        return String(repeating: "█", count: eighthsCount / 8) + eighths[eighthsCount % 8]
    }

    /// `0.99817` → `" 99.82 %"`: right-aligned in six characters plus the unit.
    static func percent(_ probability: Double) -> String {
        let text = NumberText.fixed(probability * 100, decimals: 2)
        return String(repeating: " ", count: max(0, 6 - text.count)) + text + " %"
    }
}
