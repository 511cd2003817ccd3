import Foundation
import Training

/// Shows training progress: a redrawn status line on a terminal (at most ~8 times a second), plain lines
/// otherwise (one per epoch plus one every tenth of an epoch), always on stderr except the epoch summaries.
final class TrainingProgressPrinter {
    let interactive: Bool
    private var lastDraw = Date.distantPast
    private var lastTenth = -1

    init(interactive: Bool) { self.interactive = interactive }

    func handle(_ event: ProgressEvent) {
        switch event {
        case .batch(let b):
            if interactive {
                let now = Date()
                guard now.timeIntervalSince(lastDraw) >= 0.125 || b.batch == b.batches else { return }
                lastDraw = now
                let width = 24
                let filled = b.batch * width / max(b.batches, 1)
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                write("\r\u{1B}[2K" + "epoch \(b.epoch)/\(b.epochs) \(bar) \(b.batch)/\(b.batches)  " + Self.stats(b))
            } else {
                let tenth = b.batch * 10 / max(b.batches, 1)
                guard tenth != lastTenth, tenth < 10 else { return }
                lastTenth = tenth
                write("epoch \(b.epoch)/\(b.epochs) batch \(b.batch)/\(b.batches)  " + Self.stats(b) + "\n")
            }
        case .epoch(let s):
            if interactive { write("\r\u{1B}[2K") }
            lastTenth = -1
            var line = String(format: "epoch %d: loss %.4f, accuracy %.2f %%", s.epoch, s.trainLoss, s.trainAccuracy * 100)
            if let loss = s.validationLoss, let accuracy = s.validationAccuracy {
                line += String(format: "; validation loss %.4f, accuracy %.2f %%", loss, accuracy * 100)
            }
            line += String(format: "; lr %.2e, %.0f images/s, %@", s.learningRate, s.imagesPerSecond,
                           TrainCommand.duration(s.seconds))
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }

    private static func stats(_ b: BatchProgress) -> String {
        String(format: "loss %.4f  acc %.2f %%  %.0f img/s  ETA %@", b.loss, b.accuracy * 100, b.imagesPerSecond,
               TrainCommand.duration(b.remaining))
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
