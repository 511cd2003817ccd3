import Foundation

/// `digits profile`'s table.
enum ProfileTable {
    static func text(_ p: ProfileCommand.Profile) -> String {
        var lines: [String] = []
        lines.append("\(p.model) on \(p.cpu), \(p.kernelPath) path")
        lines.append("int8 peak now: \(f(p.peakGMACPerSecond)) GMAC/s (\(p.peakMethod))")
        lines.append("")
        let header = ["layer", "kind", "output", "µs", "share", "MACs", "GMAC/s", "% peak", "float µs", "vs float"]
        var rows = p.layers.map(cells)
        rows.append(cells(p.total))
        let widths = header.indices.map { i in max(header[i].count, rows.map { $0[i].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.indices.map { i in i < 3 ? pad(cells[i], widths[i]) : left(cells[i], widths[i]) }.joined(separator: "  ")
        }
        lines.append(line(header))
        lines.append(String(repeating: "-", count: line(header).count))
        for (i, row) in rows.enumerated() {
            if i == rows.count - 1 { lines.append(String(repeating: "-", count: line(header).count)) }
            lines.append(line(row))
        }
        return lines.joined(separator: "\n")
    }

    private static func cells(_ r: ProfileCommand.LayerRow) -> [String] {
        [r.name, r.kind, r.outputShape.map(String.init).joined(separator: "×"), f(r.microseconds),
         String(format: "%.1f %%", r.share * 100), r.macs == 0 ? "-" : NumberText.grouped(r.macs),
         r.gmacPerSecond.map(f) ?? "-", r.percentOfPeak.map { String(format: "%.0f %%", $0) } ?? "-",
         r.floatMicroseconds.map(f) ?? "-", r.speedupOverFloat.map { String(format: "%.1f×", $0) } ?? "-"]
    }

    static func f(_ x: Double) -> String { String(format: x < 10 ? "%.2f" : x < 1000 ? "%.1f" : "%.0f", x) }
    private static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
    private static func left(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
}
