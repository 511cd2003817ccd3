import Dispatch
import Foundation
import Generated
import ImagingTestSupport
import Recognition
import Runtime
import Synchronization
import Testing

/// Issue 6's acceptance: on scanning-style renders of MNIST test digits (dark ink on light paper, off-centre,
/// 40–1000 px, every PNG type), `best` through the full predict path (PNG bytes → decode → preprocess → int8)
/// stays within 1.5 points of its MNIST test accuracy (99.69 %), and `read` gets ≥ 95 % of well-separated
/// 3–8 digit numbers exactly right. The default run measures a subset; DIGITS_FULL_ACCEPTANCE=1 measures
/// 10,000 digits and 1,000 numbers (a few minutes in a release build: `swift test -c release --filter Acceptance`).
@Suite("Acceptance: scans through the full recognition path")
struct AcceptanceTests {
    static let full = ProcessInfo.processInfo.environment["DIGITS_FULL_ACCEPTANCE"] == "1"
    /// `best`'s int8 accuracy on the 10,000 MNIST test images (README, `digits eval best`).
    static let mnistAccuracy = 0.9969

    static func recognizer() throws -> Recognizer {
        Recognizer(entry: try ModelRegistry.all.lookup("best"), path: KernelPath.best(for: .current))
    }

    /// Runs `body(k)` for k in 0..<count on every core; returns the results in order.
    static func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = Mutex<[T?]>(Array(repeating: nil, count: count))
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for k in stride(from: worker, to: count, by: workers) {
                let value = body(k)
                results.withLock { $0[k] = value }
            }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    @Test("single digits: scan accuracy within 1.5 points of MNIST accuracy")
    func singleDigits() throws {
        let set = try MNISTTestSet.get()
        let recognizer = try Self.recognizer()
        let count = Self.full ? 10_000 : 300
        // (correct on the scan, correct on the original 28×28, description of a miss)
        let outcomes = Self.parallelMap(count) { k -> (Bool, Bool, String?) in
            let sample = ScanSamples.digit(k, set: set)
            let original = (try? recognizer.predict(.init(pixels: set.images[sample.index], size: 28, inkBox: .init(minX: 0, minY: 0, maxX: 27, maxY: 27), darkInk: false)))?.digit == sample.label
            do {
                let (prediction, _) = try recognizer.predict(png: sample.png, source: "scan-\(k).png")
                let right = prediction.digit == sample.label
                return (right, original, right ? nil : "#\(sample.index) \(sample.label)→\(prediction.digit) \(sample.width)×\(sample.height) \(sample.flavor)")
            } catch {
                return (false, original, "#\(sample.index) \(sample.width)×\(sample.height) \(sample.flavor): \(error)")
            }
        }
        let scanAccuracy = Double(outcomes.filter(\.0).count) / Double(count)
        let originalAccuracy = Double(outcomes.filter(\.1).count) / Double(count)
        let misses = outcomes.compactMap(\.2)
        print("acceptance: \(count) scans \(String(format: "%.2f", scanAccuracy * 100)) % vs the same digits as MNIST 28×28 "
              + "\(String(format: "%.2f", originalAccuracy * 100)) %; misses: \(misses.prefix(40).joined(separator: "; "))")
        // Against the whole test set's accuracy, as the issue states it, and against the same digits unscanned.
        #expect(scanAccuracy >= Self.mnistAccuracy - 0.015, "\(misses.count) misses")
        #expect(scanAccuracy >= originalAccuracy - 0.015, "\(misses.count) misses")
    }

    @Test("numbers: at least 95 % of 3–8 digit strings read exactly")
    func numbers() throws {
        let set = try MNISTTestSet.get()
        let recognizer = try Self.recognizer()
        let count = Self.full ? 1_000 : 120
        let outcomes = Self.parallelMap(count) { k -> String? in
            let number = ScanSamples.number(k, set: set)
            do {
                let (reading, _) = try recognizer.read(png: number.png, source: "number-\(k).png")
                return reading.text == number.text ? nil : "\(number.text) read as \(reading.text) (\(number.flavor))"
            } catch {
                return "\(number.text): \(error)"
            }
        }
        let misses = outcomes.compactMap { $0 }
        let accuracy = Double(count - misses.count) / Double(count)
        print("acceptance: \(count) numbers, \(String(format: "%.1f", accuracy * 100)) % exactly right; misses: \(misses.prefix(40).joined(separator: "; "))")
        #expect(accuracy >= 0.95, "\(misses.count) misses")
    }
}
