import ArgumentParser
import CodeGen
import Foundation
import Generated
import ModelIO
import NetSpec
import Reference
import Runtime

/// `digits profile`: where one prediction's time goes, layer by layer, against the CPU's int8 peak and the float
/// reference.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Time each layer of a compiled model: µs, share, MACs, GMAC/s, % of this CPU's int8 peak, vs float.",
        discussion: """
            Each layer's kernel call runs alone, repeatedly, on the first test image's activations (warm caches; \
            the median is shown), through the plan the generated code was written from. The peak is measured at \
            startup for the instructions of the kernel path in use. The float column times the float reference \
            interpreter's layers the same way; layers the int8 plan fused (batchnorm, activations, flatten) count \
            towards the layer they were fused into. Run inside the repository; build with -c release.
            """)

    @Argument(help: "Model name from the registry.")
    var model: String

    @Option(help: "Seconds to spend timing (split over the layers, int8 and float).")
    var seconds: Double = 2

    @Flag(help: "Print JSON instead of the table.")
    var json = false

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path: portable, avx2 or avx512vnni.")
    var kernelPath: String?

    @Option(help: "MNIST data directory (default: the repository's Data/mnist).")
    var data: String?

    struct LayerRow: Codable {
        var name: String
        var kind: String
        var outputShape: [Int]
        var microseconds: Double
        var fastestMicroseconds: Double
        var share: Double
        var macs: Int
        var gmacPerSecond: Double?
        var percentOfPeak: Double?
        var floatMicroseconds: Double?
        var speedupOverFloat: Double?
    }

    struct Profile: Codable {
        var model: String
        var cpu: String
        var kernelPath: String
        var peakGMACPerSecond: Double
        var peakMethod: String
        var layers: [LayerRow]
        var total: LayerRow
    }

    func run() throws {
        try CLIError.reporting {
            guard seconds > 0, seconds <= 3_600 else { throw CLIError("--seconds must be > 0 and ≤ 3600, got \(seconds)") }
            let entry = try ModelRegistry.all.lookup(model)
            let path = Kernels.effectivePath(try KernelPath.select(requested: kernelPath, environment: ProcessInfo.processInfo.environment, cpu: .current))
            let peak = PathPeak.measure(path)
            let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let source = try CompiledModelSource.load(entry, root: root)
            let dataset = try MNISTDataset.load(.test, dataDirectory: data)
            let pixels = Array(dataset.image(0))
            guard pixels.count == entry.info.inputCount else {
                throw CLIError("\(model) takes \(entry.info.inputCount) input values; MNIST images have \(pixels.count)")
            }
            if BuildMode.isDebug { CLIError.printToStandardError(BuildMode.debugWarning) }
            let budget = seconds / Double(max(1, source.plan.steps.count + source.network.layers.count))
            let int8 = try PlanRunner(plan: source.plan, path: path).timings(pixels, secondsPerStep: budget)
            let floatTimes = try source.float.map {
                try $0.layerTimes(InputPreprocessing.batch(from: pixels[...], count: 1, input: source.network.input),
                                  secondsPerLayer: budget)
            }
            let profile = makeProfile(entry: entry, path: path, peak: peak, source: source, int8: int8, float: floatTimes)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(profile), as: UTF8.self))
            } else {
                print(ProfileTable.text(profile))
            }
        }
    }

    private func makeProfile(entry: ModelRegistry.Entry, path: KernelPath, peak: (macsPerSecond: Double, method: String),
                             source: CompiledModelSource,
                             int8: [(step: PredictorPlan.Step, median: Double, fastest: Double)], float: [Double]?) -> Profile {
        // Float layers go to the plan step of the same name, or else to the last step seen before them (the
        // layer they were fused into; a max pool run inside its convolution's call counts as fused).
        var floatByStep: [String: Double] = [:]
        if let float {
            let stepNames = Set(int8.filter { !$0.step.runsWithPrevious }.map(\.step.layer))
            var current: String? = nil
            for (layer, time) in zip(source.network.layers, float) {
                if stepNames.contains(layer.name) { current = layer.name }
                if let current { floatByStep[current, default: 0] += time }
            }
        }
        let total = int8.reduce(0) { $0 + $1.median }
        let shapes = Dictionary(source.network.layers.map { ($0.name, $0.outputShape.dims) }, uniquingKeysWith: { a, _ in a })
        func row(name: String, kind: String, shape: [Int], seconds: Double, fastest: Double, macs: Int, float: Double?) -> LayerRow {
            let rate = macs > 0 && seconds > 0 ? Double(macs) / seconds : nil
            return LayerRow(name: name, kind: kind, outputShape: shape, microseconds: seconds * 1e6,
                            fastestMicroseconds: fastest * 1e6, share: total > 0 ? seconds / total : 0, macs: macs,
                            gmacPerSecond: rate.map { $0 / 1e9 }, percentOfPeak: rate.map { $0 / peak.macsPerSecond * 100 },
                            floatMicroseconds: float.map { $0 * 1e6 }, speedupOverFloat: float.map { $0 / max(seconds, 1e-12) })
        }
        let layers = int8.map { item in
            row(name: item.step.layer, kind: Self.kind(item.step), shape: shapes[item.step.layer] ?? [],
                seconds: item.median, fastest: item.fastest, macs: item.step.macs,
                float: float == nil || item.step.runsWithPrevious ? nil : floatByStep[item.step.layer] ?? 0)
        }
        let totalRow = row(name: "total", kind: "", shape: [entry.info.classes], seconds: total,
                           fastest: int8.reduce(0) { $0 + $1.fastest }, macs: int8.reduce(0) { $0 + $1.step.macs },
                           float: float.map { $0.reduce(0, +) })
        return Profile(model: entry.info.name, cpu: CPUFeatures.current.brand, kernelPath: path.rawValue,
                       peakGMACPerSecond: peak.macsPerSecond / 1e9, peakMethod: peak.method, layers: layers, total: totalRow)
    }

    static func kind(_ step: PredictorPlan.Step) -> String {
        if step.pooledBy != nil { return "conv+maxpool" }
        if step.runsWithPrevious { return "(in conv)" }
        return kind(step.kernel)
    }

    static func kind(_ kernel: PredictorPlan.Kernel) -> String {
        switch kernel {
        case .convolution: "conv"
        case .dense: "dense"
        case .depthwise: "depthwise"
        case .maxPool: "maxpool"
        case .averagePool: "avgpool"
        case .globalAveragePool: "global_avgpool"
        case .add: "add"
        case .concat: "concat"
        case .relu: "relu"
        }
    }
}
