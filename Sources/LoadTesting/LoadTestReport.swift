import Foundation

/// The human-readable report of a run, laid out like Locust's console summary: a request table, percentile
/// tables and a failure table. Latencies are milliseconds.
public enum LoadTestReport {
    public static func text(_ r: LoadTestResult) -> String {
        var lines: [String] = []
        let c = r.configuration
        lines.append("Target: \(r.target)")
        let window = "\(number(c.duration)) s measured after \(number(c.warmup)) s warm-up"
        if let rate = c.rate {
            lines.append("Open loop: \(number(rate)) req/s due on a fixed schedule, pool of \(c.concurrency) workers, \(window)")
            lines.append("Latency counts from each request's intended send time (coordinated omission corrected).")
        } else {
            lines.append("Closed loop: \(c.concurrency) workers sending back to back, \(window)")
        }
        lines.append("")

        let rows = r.rows + [r.aggregate]
        let nameWidth = max(24, rows.map(\.name.count).max() ?? 0)
        let header = pad("Name", nameWidth) + " " + left("# reqs", 9) + " " + left("# fails", 16) + " |"
            + ["Avg", "Min", "Max", "Med"].map { left($0, 9) }.joined() + " |" + left("req/s", 10) + left("failures/s", 12)
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count))
        for (i, row) in rows.enumerated() {
            if i == rows.count - 1 { lines.append(String(repeating: "-", count: header.count)) }
            let failures = "\(row.failures)(\(String(format: "%.2f", percent(row.failures, of: row.requests)))%)"
            let perSecond = Double(row.requests) / max(c.duration, 1e-9)
            let failuresPerSecond = Double(row.failures) / max(c.duration, 1e-9)
            lines.append(pad(row.name, nameWidth) + " " + left("\(row.requests)", 9) + " " + left(failures, 16) + " |"
                         + [row.latency.mean, row.latency.min, row.latency.max, row.latency.median].map { left(ms($0), 9) }.joined()
                         + " |" + left(String(format: "%.1f", perSecond), 10) + left(String(format: "%.2f", failuresPerSecond), 12))
        }
        lines.append("")
        lines += percentileTable(c.rate == nil ? "Response time percentiles (ms)"
                                               : "Response time percentiles (ms, from the intended send time)",
                                 rows: rows, nameWidth: nameWidth, \.latency)
        if c.rate != nil {
            lines.append("")
            lines += percentileTable("Service time percentiles (ms, from the actual send; not corrected, for comparison)",
                                     rows: rows, nameWidth: nameWidth, \.serviceTime)
        }
        lines.append("")
        lines.append("Throughput: \(String(format: "%.1f", r.requestsPerSecond)) req/s")
        if let rate = c.rate {
            lines.append("Achieved rate: \(String(format: "%.1f", r.requestsPerSecond)) req/s of \(number(rate)) req/s target "
                         + "(\(String(format: "%.1f", r.requestsPerSecond / rate * 100)) %)")
        }
        lines.append("")
        if r.failures.isEmpty {
            lines.append("Failures: none")
        } else {
            lines.append("Failures")
            lines.append(left("# occurrences", 14) + "  Error")
            lines.append(String(repeating: "-", count: 14) + "--" + String(repeating: "-", count: 40))
            for f in r.failures { lines.append(left("\(f.occurrences)", 14) + "  \(f.name): \(f.reason)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func percentileTable(_ title: String, rows: [LoadTestResult.Row], nameWidth: Int,
                                        _ summary: KeyPath<LoadTestResult.Row, LatencySummary>) -> [String] {
        let percentiles = LatencySummary.reportPercentiles
        let header = pad("Name", nameWidth) + percentiles.map { left(label($0), 9) }.joined() + left("# reqs", 9)
        var lines = [title, header, String(repeating: "-", count: header.count)]
        for (i, row) in rows.enumerated() {
            if i == rows.count - 1 { lines.append(String(repeating: "-", count: header.count)) }
            let s = row[keyPath: summary]
            lines.append(pad(row.name, nameWidth) + percentiles.map { left(ms(s.value(at: $0) ?? 0), 9) }.joined()
                         + left("\(row.requests)", 9))
        }
        return lines
    }

    static func label(_ percentile: Double) -> String {
        percentile == percentile.rounded() ? "\(Int(percentile))%" : "\(percentile)%"
    }

    /// Milliseconds with about three significant digits (in-process latencies are tens of microseconds).
    public static func ms(_ value: Double) -> String {
        if value < 1 { return String(format: "%.3f", value) }
        if value < 10 { return String(format: "%.2f", value) }
        if value < 100 { return String(format: "%.1f", value) }
        return String(format: "%.0f", value)
    }

    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : String(format: "%g", value)
    }

    private static func percent(_ part: Int, of whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) * 100 }
    private static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
    private static func left(_ s: String, _ width: Int) -> String { s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s }
}
