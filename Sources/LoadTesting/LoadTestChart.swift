import Foundation

/// A self-contained SVG (or HTML page around it) of a run over time: completed requests per second, and the
/// p50/p90/p99 latency of each second. Hand-written SVG: no scripts, no external resources.
public enum LoadTestChart {
    public static func svg(_ r: LoadTestResult) -> String {
        let width = 900.0, panelHeight = 220.0, left = 70.0, right = 130.0, top = 72.0, gap = 70.0
        let plotWidth = width - left - right
        let seconds = max(r.timeline.count, 1)
        let height = top + 2 * panelHeight + gap + 50
        var out: [String] = []
        out.append(##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="sans-serif" font-size="12">"##)
        out.append(##"<rect width="100%" height="100%" fill="white"/>"##)
        let mode = r.configuration.rate.map { "open loop, \(LoadTestReport.number($0)) req/s" } ?? "closed loop, \(r.configuration.concurrency) workers"
        out.append(##"<text x="\##(left)" y="22" font-size="15" font-weight="bold">\##(escape("Load test: \(r.target)"))</text>"##)
        out.append(##"<text x="\##(left)" y="38" fill="#555">\##(escape("\(mode); \(r.aggregate.requests) requests, \(r.aggregate.failures) failures"))</text>"##)

        func x(_ second: Double) -> Double { left + plotWidth * second / Double(seconds) }

        // Panel 1: throughput.
        let rates = r.timeline.map { Double($0.requests) }
        let rateTop = niceCeiling(rates.max() ?? 1)
        let y1 = top
        panel(&out, title: "Throughput (completed requests per second)", unit: "req/s", top: y1, left: left,
              width: plotWidth, height: panelHeight, maxValue: rateTop, seconds: seconds)
        let failures = r.timeline.map { Double($0.failures) }
        out.append(polyline(r.timeline.indices.map { (x(Double($0) + 0.5), y1 + panelHeight * (1 - rates[$0] / rateTop)) },
                            color: "#1f77b4", label: "req/s"))
        if failures.contains(where: { $0 > 0 }) {
            out.append(polyline(r.timeline.indices.map { (x(Double($0) + 0.5), y1 + panelHeight * (1 - failures[$0] / rateTop)) },
                                color: "#d62728", label: "failures/s"))
        }
        legend(&out, x: left + plotWidth + 15, y: y1 + 10,
               entries: [("req/s", "#1f77b4")] + (failures.contains { $0 > 0 } ? [("failures/s", "#d62728")] : []))

        // Panel 2: latency percentiles.
        let y2 = top + panelHeight + gap
        let latencyTop = niceCeiling(r.timeline.map(\.p99).max() ?? 1)
        let what = r.configuration.rate == nil ? "" : ", from the intended send time"
        panel(&out, title: "Latency per second (ms\(what))", unit: "ms", top: y2, left: left, width: plotWidth,
              height: panelHeight, maxValue: latencyTop, seconds: seconds)
        let series: [(String, String, KeyPath<LoadTestResult.Second, Double>)] =
            [("p50", "#2ca02c", \.p50), ("p90", "#ff7f0e", \.p90), ("p99", "#d62728", \.p99)]
        for (label, color, key) in series {
            let points = r.timeline.indices.filter { r.timeline[$0].requests > 0 }
                .map { (x(Double($0) + 0.5), y2 + panelHeight * (1 - r.timeline[$0][keyPath: key] / latencyTop)) }
            out.append(polyline(points, color: color, label: label))
        }
        legend(&out, x: left + plotWidth + 15, y: y2 + 10, entries: series.map { ($0.0, $0.1) })
        out.append(##"<text x="\##(left + plotWidth / 2)" y="\##(y2 + panelHeight + 40)" text-anchor="middle">seconds since the end of the warm-up</text>"##)
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    public static func html(_ r: LoadTestResult) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>\(escape("Load test: \(r.target)"))</title></head>
        <body style="font-family: sans-serif">
        \(svg(r))<pre>\(escape(LoadTestReport.text(r)))</pre>
        </body>
        </html>

        """
    }

    private static func panel(_ out: inout [String], title: String, unit: String, top: Double, left: Double,
                              width: Double, height: Double, maxValue: Double, seconds: Int) {
        out.append(##"<text x="\##(left)" y="\##(top - 8)" font-weight="bold">\##(escape(title))</text>"##)
        out.append(##"<rect x="\##(left)" y="\##(top)" width="\##(width)" height="\##(height)" fill="none" stroke="#888"/>"##)
        for i in 0...4 {
            let value = maxValue * Double(i) / 4
            let y = top + height * (1 - Double(i) / 4)
            out.append(##"<line x1="\##(left - 4)" y1="\##(y)" x2="\##(left + width)" y2="\##(y)" stroke="#ddd"/>"##)
            out.append(##"<text x="\##(left - 8)" y="\##(y + 4)" text-anchor="end">\##(tick(value))</text>"##)
        }
        out.append(##"<text x="\##(left - 52)" y="\##(top + height / 2)" text-anchor="middle" transform="rotate(-90 \##(left - 52) \##(top + height / 2))">\##(escape(unit))</text>"##)
        let step = max(1, Int((Double(seconds) / 10).rounded(.up)))
        for s in stride(from: 0, through: seconds, by: step) {
            let x = left + width * Double(s) / Double(seconds)
            out.append(##"<line x1="\##(x)" y1="\##(top + height)" x2="\##(x)" y2="\##(top + height + 4)" stroke="#888"/>"##)
            out.append(##"<text x="\##(x)" y="\##(top + height + 17)" text-anchor="middle">\##(s)</text>"##)
        }
    }

    private static func polyline(_ points: [(Double, Double)], color: String, label: String) -> String {
        let list = points.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ")
        return ##"<polyline fill="none" stroke="\##(color)" stroke-width="2" points="\##(list)"><title>\##(escape(label))</title></polyline>"##
    }

    private static func legend(_ out: inout [String], x: Double, y: Double, entries: [(String, String)]) {
        for (i, (label, color)) in entries.enumerated() {
            let rowY = y + Double(i) * 18
            out.append(##"<line x1="\##(x)" y1="\##(rowY)" x2="\##(x + 20)" y2="\##(rowY)" stroke="\##(color)" stroke-width="3"/>"##)
            out.append(##"<text x="\##(x + 26)" y="\##(rowY + 4)">\##(escape(label))</text>"##)
        }
    }

    /// A round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at least `value` (and positive).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let magnitude = pow(10, (log10(value)).rounded(.down))
        for factor in [1.0, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10] where factor * magnitude >= value { return factor * magnitude }
        return 10 * magnitude
    }

    private static func tick(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : String(format: value < 1 ? "%.3g" : "%.1f", value)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
