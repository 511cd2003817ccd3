import Foundation
import LoadTesting

/// The load test's progress on stderr: one line rewritten in place on a terminal, else a line every 5 s.
struct LoadProgressPrinter: Sendable {
    let interactive: Bool

    var interval: Double { interactive ? 0.5 : 5 }

    func show(_ p: LoadProgress) {
        let phase = p.inWarmup ? " (warm-up)" : ""
        let line = String(format: "%5.1f/%.0f s", p.elapsed, p.total) + phase
            + "  \(p.requests) requests  \(p.currentRate) req/s  p99 \(LoadTestReport.ms(p.p99)) ms  \(p.failures) failures"
        let text = interactive ? "\r\u{1B}[K" + line : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
