import Dispatch
import Foundation
import LoadTesting
import ModelIO
import Runtime
import Synchronization

/// The measurements behind `digits bench`.
struct BenchRunner {
    struct Throughput: Codable {
        var batch: Int
        var threads: Int
        var imagesPerSecond: Double
        /// Against 1 thread at the same batch size (nil when 1 thread was not measured).
        var speedupOverOneThread: Double?
        /// 1 thread only: `batch` over the median and over the fastest single call, which leave out the time slices
        /// other processes take (the window rate above includes them); Benchmarks/compare_onnx.py uses these.
        var medianCallImagesPerSecond: Double? = nil
        var fastestCallImagesPerSecond: Double? = nil
    }

    struct ModelResult: Codable {
        var model: String
        var macs: Int
        var latency: LatencySummary
        /// Milliseconds are the summary's unit; the same numbers in µs for the table.
        var latencyMicroseconds: [String: Double]
        var throughput: [Throughput]
    }

    struct Report: Codable {
        var cpu: String
        var kernelPath: String
        var debugBuild: Bool
        var models: [ModelResult]
    }

    var seconds: Double
    var path: KernelPath
    var images: MNISTDataset

    func measure(_ entry: ModelRegistry.Entry, batches: [Int], threads: [Int]) throws -> ModelResult {
        let info = entry.info
        guard images.pixelsPerImage == info.inputCount else {
            throw CLIError("\(info.name) takes \(info.inputCount) input values; MNIST images have \(images.pixelsPerImage)")
        }
        let latency = try batchOneLatency(entry)
        var throughput: [Throughput] = []
        for batch in batches {
            var single: Double?
            for count in threads {
                let (rate, calls) = try parallelThroughput(entry, batch: batch, threads: count)
                if count == 1 { single = rate }
                var row = Throughput(batch: batch, threads: count, imagesPerSecond: rate,
                                     speedupOverOneThread: single.map { rate / $0 })
                if count == 1, !calls.isEmpty {
                    let sorted = calls.sorted()
                    row.medianCallImagesPerSecond = Double(batch) / (Double(sorted[sorted.count / 2]) * 1e-9)
                    row.fastestCallImagesPerSecond = Double(batch) / (Double(max(sorted[0], 1)) * 1e-9)
                }
                throughput.append(row)
            }
        }
        let summary = latency.summary(percentiles: [50, 90, 99, 99.9, 100])
        var micro: [String: Double] = ["mean": summary.mean * 1e3, "min": summary.min * 1e3, "max": summary.max * 1e3]
        for point in summary.percentiles { micro["p\(LoadTestReport.number(point.percentile))"] = point.value * 1e3 }
        return ModelResult(model: info.name, macs: info.macs, latency: summary, latencyMicroseconds: micro, throughput: throughput)
    }

    /// Every batch-1 call timed for `seconds`, into an HdrHistogram (after a short warm-up).
    private func batchOneLatency(_ entry: ModelRegistry.Entry) throws -> LatencyHistogram {
        let info = entry.info
        let predictor = entry.make(path)
        let pool = min(images.count, 64)
        let pixels = Array(images.images[0..<(pool * info.inputCount)])
        var logits = [Int8](repeating: 0, count: info.classes)
        var histogram = LatencyHistogram()
        try pixels.withUnsafeBufferPointer { p in
            try logits.withUnsafeMutableBufferPointer { l in
                func one(_ k: Int) throws {
                    try predictor.predict(pixels: UnsafeBufferPointer(rebasing: p[(k * info.inputCount)..<((k + 1) * info.inputCount)]), logits: l)
                }
                for k in 0..<200 { try one(k % pool) }
                let start = DispatchTime.now().uptimeNanoseconds
                let end = start + UInt64(seconds * 1e9)
                var k = 0
                var now = start
                repeat {
                    try one(k % pool)
                    let after = DispatchTime.now().uptimeNanoseconds
                    histogram.record(nanoseconds: after - now)
                    now = after
                    k += 1
                } while now < end
            }
        }
        return histogram
    }

    /// Images per second of `threads` threads, each with its own predictor running `batch`-image batches back
    /// to back; all start at the same instant and count only what finishes inside the same wall window. With one
    /// thread, also every call's nanoseconds.
    private func parallelThroughput(_ entry: ModelRegistry.Entry, batch: Int, threads: Int) throws -> (Double, [UInt64]) {
        let info = entry.info
        let pool = min(images.count, max(batch, 64))
        let source = Array(images.images[0..<(pool * info.inputCount)])
        let pixels = (0..<batch).flatMap { source[(($0 % pool) * info.inputCount)..<((($0 % pool) + 1) * info.inputCount)] }
        let counts = Mutex([Int](repeating: 0, count: threads))
        let failure = Mutex<String?>(nil)
        let ready = DispatchGroup(), done = DispatchGroup()
        let go = DispatchSemaphore(value: 0)
        let window = Mutex<(start: UInt64, end: UInt64)>((0, 0))
        let callTimes = Mutex<[UInt64]>([])
        let path = self.path
        for t in 0..<threads {
            ready.enter()
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                let predictor = entry.make(path)
                var logits = [Int8](repeating: 0, count: batch * info.classes)
                ready.leave()
                go.wait()
                let (start, end) = window.withLock { $0 }
                var images = 0
                var calls: [UInt64] = []
                if threads == 1 { calls.reserveCapacity(1 << 16) }
                pixels.withUnsafeBufferPointer { p in
                    logits.withUnsafeMutableBufferPointer { l in
                        var before = DispatchTime.now().uptimeNanoseconds
                        while before < start { before = DispatchTime.now().uptimeNanoseconds }
                        while true {
                            do { try predictor.predictBatch(pixels: p, count: batch, logits: l) }
                            catch { failure.withLock { $0 = String(describing: error) }; return }
                            let after = DispatchTime.now().uptimeNanoseconds
                            if after > end { return }
                            if threads == 1 && calls.count < 1 << 16 { calls.append(after - before) }
                            before = after
                            images += batch
                        }
                    }
                }
                counts.withLock { $0[t] = images }
                if threads == 1 { callTimes.withLock { $0 = calls } }
            }
            thread.start()
        }
        ready.wait()
        let start = DispatchTime.now().uptimeNanoseconds + 5_000_000
        window.withLock { $0 = (start, start + UInt64(seconds * 1e9)) }
        for _ in 0..<threads { go.signal() }
        done.wait()
        if let message = failure.withLock({ $0 }) { throw CLIError(message) }
        return (Double(counts.withLock { $0.reduce(0, +) }) / seconds, callTimes.withLock { $0 })
    }
}
