import ArgumentParser
import Foundation
import Generated
import Runtime

/// `digits info`: the CPU features found and the int8 kernel path predictors will use.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show this CPU's features and the kernel path in use."
    )

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path: portable, avx2 or avx512vnni.")
    var kernelPath: String?

    func run() throws {
        let cpu = CPUFeatures.current
        // The message names its source (flag or environment variable); the root command's usage would not help.
        let path = try CLIError.reporting {
            try KernelPath.select(requested: kernelPath, environment: ProcessInfo.processInfo.environment, cpu: cpu)
        }
        print("cpu:          \(cpu.brand) (\(cpu.vendor), \(cpu.architecture))")
        print("cores:        \(ProcessInfo.processInfo.activeProcessorCount)")
        print("features:     \(cpu.names.isEmpty ? "(none detected)" : cpu.names.joined(separator: " "))")
        print("kernel paths: " + KernelPath.allCases.map { "\($0.rawValue) \($0.isSupported(by: cpu) ? "yes" : "no")" }.joined(separator: ", "))
        print("in use:       \(path.rawValue)\(path == KernelPath.best(for: cpu) ? "" : " (forced; best is \(KernelPath.best(for: cpu).rawValue))")")
        print("              set \(KernelPath.environmentVariable)=portable or pass --kernel-path to force a path")
        print("predictors:   \(Kernels.effectivePath(path).rawValue) kernels")
        print("compiled models:")
        for entry in ModelRegistry.all.entries {
            let info = entry.info
            print("  \(info.name): \(info.specPath), \(info.macs) MACs, \(info.parameters) parameters, weights sha256 \(info.weightsSHA256.prefix(16))…")
        }
    }
}
