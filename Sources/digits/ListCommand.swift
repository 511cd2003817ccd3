import ArgumentParser
import Foundation
import Generated
import Runtime

/// `digits list`: the models compiled into this binary and the kernels they would run on here.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the compiled models: spec, MACs, parameters, weights hash, input shape, kernel path.")

    @Flag(help: "Print the list as JSON (with full SHA-256 hashes).")
    var json = false

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path: portable, avx2 or avx512vnni.")
    var kernelPath: String?

    func run() throws {
        try CLIError.reporting {
            let cpu = CPUFeatures.current
            let path = try KernelPath.select(requested: kernelPath, environment: ProcessInfo.processInfo.environment, cpu: cpu)
            let listing = ModelListing(models: ModelRegistry.all.entries.map(\.info), cpu: cpu, path: path)
            print(json ? try listing.json() : listing.table(), terminator: "")
        }
    }
}

/// What `digits list` prints, from the registry's model infos and this CPU.
struct ModelListing {
    var models: [ModelInfo]
    var cpu: CPUFeatures
    var path: KernelPath

    /// The kernels predictors run for `path` (the avx2 path runs the portable kernels).
    var kernels: KernelPath { Kernels.effectivePath(path) }

    func table() -> String {
        let header = ["model", "spec", "MACs", "parameters", "weights sha256", "input", "kernels"]
        let rows = models.map { info in
            [info.name, info.specPath, NumberText.grouped(info.macs), NumberText.grouped(info.parameters),
             String(info.weightsSHA256.prefix(12)), info.inputShape.map(String.init).joined(separator: "×"), kernels.rawValue]
        }
        let rightAligned: Set<Int> = [2, 3]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        var text = ""
        for row in [header] + rows {
            let cells = row.enumerated().map { column, cell in
                let fill = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? fill + cell : cell + fill
            }
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            text += line + "\n"
        }
        let forced = path == KernelPath.best(for: cpu) ? "" : " (forced; best here: \(KernelPath.best(for: cpu).rawValue))"
        text += "\ncpu: \(cpu.brand); features: \(cpu.names.isEmpty ? "(none detected)" : cpu.names.joined(separator: " "))\n"
        text += "kernel path: \(path.rawValue)\(forced), running \(kernels.rawValue) kernels; "
            + "--kernel-path or \(KernelPath.environmentVariable) forces one\n"
        return text
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Document(self)), as: UTF8.self) + "\n"
    }

    struct Document: Encodable {
        struct CPU: Encodable {
            var brand: String
            var vendor: String
            var architecture: String
            var features: [String]
        }

        struct Model: Encodable {
            var name: String
            var spec: String
            var macs: Int
            var parameters: Int
            var weightsSHA256: String
            var specSHA256: String
            var inputShape: [Int]
            var labels: [String]
            var kernelPath: String

            enum CodingKeys: String, CodingKey {
                case name, spec, macs, parameters, labels
                case weightsSHA256 = "weights_sha256"
                case specSHA256 = "spec_sha256"
                case inputShape = "input_shape"
                case kernelPath = "kernel_path"
            }
        }

        var models: [Model]
        var cpu: CPU
        var kernelPath: String

        enum CodingKeys: String, CodingKey {
            case models, cpu
            case kernelPath = "kernel_path"
        }

        init(_ listing: ModelListing) {
            models = listing.models.map { info in
                Model(name: info.name, spec: info.specPath, macs: info.macs, parameters: info.parameters,
                      weightsSHA256: info.weightsSHA256, specSHA256: info.specSHA256, inputShape: info.inputShape,
                      labels: info.labels, kernelPath: listing.kernels.rawValue)
            }
            cpu = CPU(brand: listing.cpu.brand, vendor: listing.cpu.vendor, architecture: listing.cpu.architecture,
                      features: listing.cpu.names)
            kernelPath = listing.kernels.rawValue
        }
    }
}
