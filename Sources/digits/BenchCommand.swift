import ArgumentParser
import CodeGen
import Foundation
import Generated
import ModelIO
import NetSpec
import Quantization
import Reference
import Runtime

/// `digits bench`: batch-1 latency distribution and throughput over batch sizes × thread counts.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Batch-1 latency percentiles and throughput at several batch sizes and thread counts.",
        discussion: "Build with -c release for meaningful numbers. Images are the first 64 of the MNIST test set. "
            + "Each thread has its own predictor; the threads start together and are counted over the same wall "
            + "window. `digits profile` times each layer. The interpreters run only with --interpreters.")

    @Argument(help: "Model names from the registry (default: all).")
    var models: [String] = []

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path: portable, avx2 or avx512vnni.")
    var kernelPath: String?

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 1

    @Option(help: "Batch sizes for the throughput table, comma-separated.")
    var batch: String = "1,8,64"

    @Option(help: "Thread counts for the throughput table, comma-separated.")
    var threads: String = "1,2"

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Flag(help: "Also time the int8 reference interpreter and the float interpreter.")
    var interpreters = false

    @Option(help: "MNIST data directory (default: the repository's Data/mnist).")
    var data: String?

    func run() throws {
        try CLIError.reporting {
            guard seconds > 0, seconds <= 3_600 else { throw CLIError("--seconds must be > 0 and ≤ 3600, got \(seconds)") }
            let batches = try Self.list(batch, option: "--batch", range: 1...4096)
            let threadCounts = try Self.list(threads, option: "--threads", range: 1...256)
            let path = Kernels.effectivePath(try KernelPath.select(requested: kernelPath, environment: ProcessInfo.processInfo.environment, cpu: .current))
            let entries = try (models.isEmpty ? ModelRegistry.all.names : models).map { try ModelRegistry.all.lookup($0) }
            let mnist = try MNISTDataset.load(.test, dataDirectory: data)
            if BuildMode.isDebug { CLIError.printToStandardError(BuildMode.debugWarning) }
            let runner = BenchRunner(seconds: seconds, path: path, images: mnist)
            var results: [BenchRunner.ModelResult] = []
            if !json {
                print("cpu: \(CPUFeatures.current.brand); kernel path: \(path.rawValue); \(ProcessInfo.processInfo.activeProcessorCount) cores online")
            }
            for entry in entries {
                let result = try runner.measure(entry, batches: batches, threads: threadCounts)
                results.append(result)
                if !json { print(BenchTable.text(result)) }
                if interpreters && !json {
                    let pixels = Array(mnist.images[0..<(64 * entry.info.inputCount)])
                    try timeInterpreters(entry, root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                                         pixels: pixels, generated: result.latency.median / 1e3)  // ms → s
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let report = BenchRunner.Report(cpu: CPUFeatures.current.brand, kernelPath: path.rawValue,
                                                debugBuild: BuildMode.isDebug, models: results)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            }
        }
    }

    static func list(_ text: String, option: String, range: ClosedRange<Int>) throws -> [Int] {
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0.map(range.contains) ?? false }) else {
            throw CLIError("\(option) \(text): expected comma-separated integers in \(range.lowerBound)…\(range.upperBound)")
        }
        return values.compactMap { $0 }
    }

    func format(_ x: Double) -> String { String(format: x < 10 ? "%.2f" : "%.1f", x) }

    /// Seconds per image of each call of `body` (which handles `body`'s return value images), over `seconds`:
    /// (median, fastest).
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
