import ArgumentParser
import CodeGen
import Foundation
import Generated
import ModelIO
import Reference
import Runtime

/// `digits verify`: compiled predictors against the int8 reference interpreter on the MNIST test set.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check compiled predictors bit for bit against the int8 interpreter on the MNIST test set.",
        discussion: "Prints, per model, how many images give identical int8 logits and the SHA-256 of all logits "
            + "(image order, int8 bytes), so runs on different machines and kernel paths can be compared. Exits "
            + "non-zero on any difference. scripts/check-bitexact.sh runs it on every path this CPU has.")

    @Argument(help: "Model names from the registry (default: all).")
    var models: [String] = []

    @Option(name: .customLong("kernel-path"), help: "Check only this path (default: every path this CPU has).")
    var kernelPath: String?

    @Option(help: "Check the first N test images (default: all).")
    var images: Int?

    @Option(help: "Threads for the interpreter.")
    var threads: Int = 2

    func run() throws {
        var paths: [KernelPath]
        do {
            let selected = try KernelPath.select(requested: kernelPath, environment: ProcessInfo.processInfo.environment, cpu: .current)
            paths = [Kernels.effectivePath(selected)]
        } catch { throw ValidationError(error.description) }
        if kernelPath == nil && ProcessInfo.processInfo.environment[KernelPath.environmentVariable] == nil {
            // Every path this CPU can run, fastest first: each must give the interpreter's bits.
            for extra in KernelPath.allCases.reversed() where extra.isSupported(by: .current)
                && !paths.contains(Kernels.effectivePath(extra)) {
                paths.append(Kernels.effectivePath(extra))
            }
        }
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let mnist = try MNISTDataset.load(.test, from: root.appendingPathComponent("Data/mnist"))
        let count = min(images ?? mnist.count, mnist.count)
        let sources = CodeGenerator.models(in: root.appendingPathComponent("Generated"))
        var failed = false
        for name in models.isEmpty ? ModelRegistry.all.names : models {
            guard let entry = ModelRegistry.all.entry(named: name),
                  let origin = sources.first(where: { $0.typeName == "\(entry.type)" })?.source else {
                throw ValidationError("no compiled model '\(name)'; compiled: \(ModelRegistry.all.names.joined(separator: ", "))")
            }
            let info = entry.info
            let interpreter = try Int8Interpreter(model: try origin.load(root: root).artifact.model)
            let expected = try reference(interpreter, mnist.images, count: count, perImage: info.inputCount, classes: info.classes)
            print("\(name) int8 interpreter: logits sha256 \(SHA256.hex(expected.map { UInt8(bitPattern: $0) }))")
            for path in paths {
                var logits = [Int8](repeating: 0, count: count * info.classes)
                let predictor = entry.make(path)
                try mnist.images[0..<(count * info.inputCount)].withUnsafeBufferPointer { pixels in
                    try logits.withUnsafeMutableBufferPointer { out in try predictor.predictBatch(pixels: pixels, count: count, logits: out) }
                }
                let differing = (0..<count).filter {
                    logits[($0 * info.classes)..<(($0 + 1) * info.classes)] != expected[($0 * info.classes)..<(($0 + 1) * info.classes)]
                }
                let hash = SHA256.hex(logits.map { UInt8(bitPattern: $0) })
                let correct = logits.withUnsafeBufferPointer { all in
                    (0..<count).filter { i in
                        Int8Interpreter.argmax(Array(all[(i * info.classes)..<((i + 1) * info.classes)])) == Int(mnist.labels[i])
                    }.count
                }
                let accuracy = String(format: "%.2f", Double(correct) * 100 / Double(max(count, 1)))
                print("\(name) \(predictor.path.rawValue): \(count - differing.count)/\(count) images identical, accuracy \(accuracy) %; logits sha256 \(hash)")
                if let first = differing.first {
                    print("  first difference: image \(first)")
                    failed = true
                }
            }
        }
        if failed { throw ExitCode.failure }
    }

    /// The interpreter's logits for the first `count` images, on `threads` threads.
    private func reference(_ interpreter: Int8Interpreter, _ pixels: [UInt8], count: Int, perImage: Int, classes: Int) throws -> [Int8] {
        final class Box: @unchecked Sendable {
            var logits: [Int8]
            var error: String?
            let lock = NSLock()
            init(_ n: Int) { logits = [Int8](repeating: 0, count: n) }
        }
        let box = Box(count * classes)
        let workers = max(1, min(threads, 64))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: count, by: workers) {
                do {
                    let out = try interpreter.run(pixels: Array(pixels[(i * perImage)..<((i + 1) * perImage)]))
                    box.lock.lock()
                    box.logits.replaceSubrange((i * classes)..<((i + 1) * classes), with: out)
                    box.lock.unlock()
                } catch {
                    box.lock.lock()
                    box.error = "\(error)"
                    box.lock.unlock()
                }
            }
        }
        if let error = box.error { throw ValidationError(error) }
        return box.logits
    }
}
