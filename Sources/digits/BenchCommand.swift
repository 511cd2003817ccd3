import ArgumentParser
import CodeGen
import Foundation
import Generated
import ModelIO
import NetSpec
import Quantization
import Reference
import Runtime
import Synchronization

/// `digits bench`: latency and throughput of the compiled predictors, beside the int8 and float interpreters.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the compiled predictors (batch 1 latency, batch 64 throughput) against the interpreters.",
        discussion: "Build with -c release for meaningful numbers. Images are the first 64 of the committed MNIST test "
            + "set. The interpreters run only with --interpreters (they are 100-1000x slower).")

    @Argument(help: "Model names from the registry (default: all).")
    var models: [String] = []

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path: portable, avx2 or avx512vnni.")
    var kernelPath: String?

    @Option(help: "Seconds to spend per measurement.")
    var seconds: Double = 1

    @Flag(help: "Also time the int8 reference interpreter and the float interpreter.")
    var interpreters = false

    @Flag(help: "Time each layer (through the plan the generated code was written from).")
    var layers = false

    @Option(help: "Threads for an extra batch-64 throughput row (0 = skip).")
    var threads: Int = 2

    func run() throws {
        let path: KernelPath
        do { path = try KernelPath.select(requested: kernelPath, environment: ProcessInfo.processInfo.environment, cpu: .current) }
        catch { throw ValidationError(error.description) }
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let mnist = try MNISTDataset.load(.test, from: root.appendingPathComponent("Data/mnist"))
        let names = models.isEmpty ? ModelRegistry.all.names : models
        let peak = VNNIKernels.measuredPeak()
        print("cpu: \(CPUFeatures.current.brand); path: \(Kernels.effectivePath(path).rawValue); "
              + "int8 peak now: \(peak.map { format($0 / 1e9) + " GMAC/s (vpdpbusd loop)" } ?? "n/a")")
        for name in names {
            guard let entry = ModelRegistry.all.entry(named: name) else {
                throw ValidationError("no compiled model '\(name)'; compiled: \(ModelRegistry.all.names.joined(separator: ", "))")
            }
            let info = entry.info
            let pixels = Array(mnist.images[0..<(64 * info.inputCount)])
            let predictor = entry.make(path)
            var logits = [Int8](repeating: 0, count: 64 * info.classes)
            let single = try measure(seconds: seconds) { i in
                let k = i % 64
                try pixels.withUnsafeBufferPointer { p in
                    try logits.withUnsafeMutableBufferPointer { l in
                        try predictor.predict(pixels: UnsafeBufferPointer(rebasing: p[(k * info.inputCount)..<((k + 1) * info.inputCount)]),
                                              logits: UnsafeMutableBufferPointer(rebasing: l[0..<info.classes]))
                    }
                }
                return 1
            }
            let batch = try measure(seconds: seconds) { _ in
                try pixels.withUnsafeBufferPointer { p in
                    try logits.withUnsafeMutableBufferPointer { l in try predictor.predictBatch(pixels: p, count: 64, logits: l) }
                }
                return 64
            }
            let gmacs = Double(info.macs) / single.median / 1e9
            let share = peak.map { ", \(Int((gmacs * 1e9 / $0 * 100).rounded())) % of peak" } ?? ""
            print("\(name) (\(info.macs) MACs): batch 1 median \(format(single.median * 1e6)) µs, fastest "
                  + "\(format(single.fastest * 1e6)) µs (median \(format(gmacs)) GMAC/s\(share)); batch 64 median "
                  + "\(Int(1 / batch.median)) img/s, fastest \(Int(1 / batch.fastest)) img/s")
            if threads > 1 {
                let rate = try parallelThroughput(entry, path: path, pixels: pixels, threads: threads)
                print("  \(threads) threads, batch 64: \(Int(rate)) img/s (\(format(rate * batch.median)) × one thread's median)")
            }
            if layers { try profileLayers(entry, root: root, path: path, pixels: Array(pixels[0..<info.inputCount]), peak: peak) }
            if interpreters { try timeInterpreters(entry, root: root, pixels: pixels, generated: single.median) }
        }
    }

    func format(_ x: Double) -> String { String(format: x < 10 ? "%.2f" : "%.1f", x) }

    /// Seconds per image of each call of `body` (which handles `body`'s return value images), over `seconds`:
    /// (median, fastest). The machine is shared, so the median is the honest number and the fastest shows the
    /// undisturbed speed.
    func measure(seconds: Double, _ body: (Int) throws -> Int) throws -> (median: Double, fastest: Double) {
        var i = 0
        for _ in 0..<10 { i += try body(i) }
        var samples: [Double] = []
        let start = DispatchTime.now().uptimeNanoseconds
        repeat {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let n = try body(i)
            let t1 = DispatchTime.now().uptimeNanoseconds
            samples.append(Double(t1 - t0) / 1e9 / Double(n))
            i += n
        } while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < seconds && samples.count < 1_000_000
        samples.sort()
        return (samples[samples.count / 2], samples[0])
    }

    /// Σ over threads of 64 / (median batch-64 call time), every thread timing its own calls over the same
    /// `seconds`: the median keeps a thread's time slices lost to other jobs on a shared machine, and thread
    /// start-up, out of the figure (a total wall-clock rate counted both).
    func parallelThroughput(_ entry: ModelRegistry.Entry, path: KernelPath, pixels: [UInt8], threads: Int) throws -> Double {
        let info = entry.info
        let rates = Mutex<[Double]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let predictor = entry.make(path)
            var logits = [Int8](repeating: 0, count: 64 * info.classes)
            let batch = try? measure(seconds: seconds) { _ in
                try pixels.withUnsafeBufferPointer { p in
                    try logits.withUnsafeMutableBufferPointer { l in try predictor.predictBatch(pixels: p, count: 64, logits: l) }
                }
                return 64
            }
            if let batch { rates.withLock { $0.append(1 / batch.median) } }
        }
        return rates.withLock { $0.reduce(0, +) }
    }

    func profileLayers(_ entry: ModelRegistry.Entry, root: URL, path: KernelPath, pixels: [UInt8], peak: Double?) throws {
        guard let origin = CodeGenerator.models(in: root.appendingPathComponent("Generated"))
            .first(where: { $0.typeName == "\(entry.type)" })?.source else { return }
        let plan = try Planner.plan(try origin.load(root: root).artifact.model)
        let profile = try PlanRunner(plan: plan, path: path).profile(pixels)
        print("  per layer (fastest of 200 runs each; sum \(format(profile.reduce(0) { $0 + $1.seconds } * 1e6)) µs):")
        for (step, seconds) in profile {
            let rate = Double(step.macs) / seconds
            let share = step.macs == 0 ? "" : ", \(format(rate / 1e9)) GMAC/s" + (peak.map { ", \(Int((rate / $0 * 100).rounded())) % of peak" } ?? "")
            print("  \(step.layer): \(format(seconds * 1e6)) µs\(share) — \(step.summary)")
        }
    }

    func timeInterpreters(_ entry: ModelRegistry.Entry, root: URL, pixels: [UInt8], generated: Double) throws {
        let info = entry.info
        guard let origin = CodeGenerator.models(in: root.appendingPathComponent("Generated"))
            .first(where: { $0.typeName == "\(entry.type)" })?.source else { return }
        let (artifact, specPath) = try origin.load(root: root)
        let interpreter = try Int8Interpreter(model: artifact.model)
        let int8 = try measure(seconds: seconds) { i in
            let k = i % 64
            _ = try interpreter.run(pixels: Array(pixels[(k * info.inputCount)..<((k + 1) * info.inputCount)]))
            return 1
        }
        print("  int8 interpreter: median \(format(int8.median * 1e6)) µs/img (generated is \(format(int8.median / generated))× faster)")
        let network = try NetworkSpec.parse(artifact.specSource, file: specPath)
        let parameters: [String: Tensor]
        switch origin {
        case .synthetic(_, let seed): parameters = SyntheticModel.parameters(for: network, seed: seed)
        case .artifact(let path):
            let weights = String(path.dropLast(3)) + ".safetensors"
            guard let bytes = FileManager.default.contents(atPath: root.appendingPathComponent(weights).path) else {
                print("  float interpreter: skipped (no \(weights))")
                return
            }
            parameters = try WeightSet(file: SafeTensorsFile.decode(bytes, source: weights), source: weights).tensors
        }
        let float = try FloatInterpreter(network: network, parameters: parameters)
        let batch1 = try measure(seconds: seconds) { i in
            let k = i % 64
            _ = try float.run(InputPreprocessing.batch(from: pixels[(k * info.inputCount)..<((k + 1) * info.inputCount)],
                                                      count: 1, input: network.input))
            return 1
        }
        let batch64 = try measure(seconds: seconds) { _ in
            _ = try float.run(InputPreprocessing.batch(from: pixels, count: 64, input: network.input))
            return 64
        }
        print("  float interpreter: batch 1 median \(format(batch1.median * 1e6)) µs/img, batch 64 \(Int(1 / batch64.median)) img/s "
              + "(generated is \(format(batch1.median / generated))× faster at batch 1)")
    }
}
