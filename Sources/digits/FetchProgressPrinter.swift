import Foundation
import ModelIO

/// Renders download events: a live, overwritten progress line on a terminal; one plain line per step otherwise.
/// Events arrive on URLSession's queue, hence the lock.
final class FetchProgressPrinter: @unchecked Sendable {
    private let interactive: Bool
    private let lock = NSLock()
    private var lineOpen = false
    private var lastDraw = Date.distantPast

    init(interactive: Bool) { self.interactive = interactive }

    func handle(_ event: MNISTDownloader.Event) {
        lock.withLock {
            switch event {
            case .alreadyPresent(let file):
                emit("\(file.gzipName): already present, sha256 ok")
            case .replacingInvalid(let file, let reason):
                emit("\(file.gzipName): existing file is invalid, downloading again (\(reason))")
            case .downloading(let file, let url):
                emit("\(file.gzipName): downloading \(url)")
            case .progress(let file, let received, let total):
                guard interactive else { return }
                let now = Date()
                guard now.timeIntervalSince(lastDraw) > 0.1 || received == total else { return }
                lastDraw = now
                let amount = total.map { "\(Self.megabytes(received)) / \(Self.megabytes($0)) (\(received * 100 / max($0, 1))%)" } ?? Self.megabytes(received)
                FileHandle.standardOutput.write(Data("\r\u{1B}[K\(file.gzipName)  \(amount)".utf8))
                lineOpen = true
            case .saved(let file, let bytes, let verification):
                let how = switch verification {
                case .knownGzip: "sha256 ok"
                case .knownContent: "sha256 ok (uncompressed IDX; mirror's gzip wrapper differs)"
                }
                emit("\(file.gzipName): saved \(bytes) bytes, \(how)")
            case .mirrorFailed(_, let message):
                emit("\(message); trying the next mirror")
            }
        }
    }

    func finish() {
        lock.withLock { closeLine() }
    }

    /// Called with the lock held.
    private func emit(_ line: String) {
        closeLine()
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private func closeLine() {
        guard lineOpen else { return }
        FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
        lineOpen = false
    }

    private static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
