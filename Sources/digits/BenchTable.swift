import Foundation

/// `digits bench`'s text for one model.
enum BenchTable {
    static func text(_ r: BenchRunner.ModelResult) -> String {
        let us = r.latencyMicroseconds
        func v(_ key: String) -> String { ProfileTable.f(us[key] ?? 0) }
        var lines = ["\(r.model) (\(NumberText.grouped(r.macs)) MACs)",
                     "  batch 1 latency over \(r.latency.count) calls (µs): p50 \(v("p50"))  p90 \(v("p90"))  p99 \(v("p99"))  "
                        + "p99.9 \(v("p99.9"))  max \(v("max"))  mean \(v("mean"))"]
        let header = "  " + pad("batch", 6) + pad("threads", 8) + left("img/s", 12) + left("vs 1 thread", 13)
        lines.append(header)
        for t in r.throughput {
            lines.append("  " + pad("\(t.batch)", 6) + pad("\(t.threads)", 8) + left(NumberText.grouped(Int(t.imagesPerSecond.rounded())), 12)
                         + left(t.speedupOverOneThread.map { String(format: "%.2f×", $0) } ?? "-", 13))
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
    private static func left(_ s: String, _ w: Int) -> String { s.count >= w ? " " + s : String(repeating: " ", count: w - s.count) + s }
}
