import Foundation
import Generated
import Recognition
import Runtime

/// A compiled model named on the command line and the kernel path this CPU runs it on
/// (`--kernel-path`, else `$DIGITS_KERNEL_PATH`, else the fastest supported).
struct CompiledModelChoice {
    let entry: ModelRegistry.Entry
    let path: KernelPath

    /// Fails with one line: an unknown name lists the compiled models; an unusable path says why.
    init(name: String, kernelPath: String?) throws {
        entry = try ModelRegistry.all.lookup(name)
        do {
            path = try KernelPath.select(requested: kernelPath, environment: ProcessInfo.processInfo.environment, cpu: .current)
        } catch {
            throw CLIError(error.description)
        }
    }

    var info: ModelInfo { entry.info }
    /// The kernels predictors really run (the avx2 path runs the portable kernels).
    var kernels: KernelPath { Kernels.effectivePath(path) }

    /// A recognizer whose first predictor already exists: making one decodes the model's weights (milliseconds),
    /// which would otherwise be counted as the first image's inference time.
    func recognizer() -> Recognizer {
        let recognizer = Recognizer(entry: entry, path: path)
        _ = try? recognizer.logits(of: [UInt8](repeating: 0, count: info.inputCount))
        return recognizer
    }
}
