import ArgumentParser
import CodeGen
import Foundation
import ModelIO
import NetSpec
import Quantization

/// `digits compile`: int8 model → specialized Swift predictor source in the Generated target.
struct CompileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Generate a specialized Swift predictor from a quantized network.",
        discussion: "Input is a .q8 artifact (digits quantize), or a spec with --weights (quantized here; the .q8 is "
            + "written next to the spec so the output can be regenerated), or a spec with --synthetic-weights (random "
            + "weights, for kernel tests). Writes <Type>.swift and <Type>+Weights.swift into --out and rewrites the "
            + "registry listing every model there. --check regenerates every model in --out in memory and fails if "
            + "any committed file differs.")

    @Argument(help: "A .q8 artifact or a .spec file (not needed with --check).")
    var input: String?

    @Option(help: "Float weights (.safetensors) for a .spec input; quantized with --calibration.")
    var weights: String?

    @Option(help: "Calibration method for --weights: minmax, percentile, mse, kl or auto.")
    var calibration: String = CalibrationMethod.auto.rawValue

    @Option(name: .customLong("calibration-images"), help: "Training images to calibrate on (with --weights).")
    var calibrationImages: Int = 1000

    @Option(help: "Directory with the MNIST files (with --weights).")
    var data: String?

    @Option(name: .customLong("synthetic-weights"), help: "Compile a .spec with random weights from this seed.")
    var syntheticWeights: UInt64?

    @Option(help: "Output directory, relative to the repository root.")
    var out: String = "Generated"

    @Option(help: "Name of the registry property the directory's registry file declares.")
    var registry: String?

    @Flag(help: "Check that every generated file in --out is up to date instead of writing.")
    var check = false

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func validate() throws {
        if check { return }
        guard let input else { throw ValidationError("missing the .q8 or .spec to compile") }
        if input.hasSuffix(".spec") {
            guard (weights == nil) != (syntheticWeights == nil) else {
                throw ValidationError("a .spec input needs exactly one of --weights or --synthetic-weights")
            }
        } else if weights != nil || syntheticWeights != nil {
            throw ValidationError("--weights and --synthetic-weights apply to a .spec input, not '\(input)'")
        }
        guard CalibrationMethod(rawValue: calibration) != nil else {
            throw ValidationError("--calibration must be one of \(CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", ")), found '\(calibration)'")
        }
    }

    func run() async throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let directory = root.appendingPathComponent(out)
        if check {
            let problems = try CodeGenerator.staleFiles(directory: out, root: root)
            for problem in problems { print(problem) }
            if !problems.isEmpty { throw ExitCode.failure }
            print("\(out): \(CodeGenerator.models(in: directory).count) models up to date")
            return
        }
        guard let input else { return }
        let origin: ModelSource
        if let seed = syntheticWeights {
            origin = .synthetic(spec: input, seed: seed)
        } else if let weights {
            let q8 = String(input.dropLast(".spec".count)) + ".q8"
            try quantize(spec: input, weights: weights, to: q8)
            origin = .artifact(path: q8)
        } else {
            origin = .artifact(path: input)
        }
        let property = registry ?? CodeGenerator.registryProperty(in: directory)
        let files = try CodeGenerator.generate(origin, root: root, directory: out, registry: property)
        for file in files {
            try AtomicFile.write(file.contents, to: directory.appendingPathComponent(file.name).path)
            print("wrote \(out)/\(file.name) (\(file.contents.utf8.count) bytes)")
        }
        let registryFile = CodeGenerator.registry(property: property, typeNames: CodeGenerator.models(in: directory).map(\.typeName))
        try AtomicFile.write(registryFile.contents, to: directory.appendingPathComponent(registryFile.name).path)
        print("wrote \(out)/\(registryFile.name)")
    }

    private func quantize(spec: String, weights: String, to q8: String) throws {
        let network = try NetworkSpec.load(path: spec)
        guard let specData = FileManager.default.contents(atPath: spec), let specSource = String(data: specData, encoding: .utf8) else {
            throw Failure(description: "\(spec): cannot be read")
        }
        guard let weightBytes = FileManager.default.contents(atPath: weights) else {
            throw Failure(description: "\(weights): no such file or not readable")
        }
        let weightSet = try WeightSet(file: SafeTensorsFile.decode(weightBytes, source: weights), source: weights)
        try weightSet.validate(against: network)
        let train = try MNISTDataset.load(.train, from: try DataDirectory.resolve(explicit: data))
        let count = min(calibrationImages, train.count)
        let calibrationSet = train.subset((0..<count).map { $0 * train.count / count })
        let output = try QuantizationPipeline.quantize(
            network: network, specSource: specSource, parameters: weightSet.tensors,
            weightsSHA256: SHA256.hex(Array(weightBytes)), calibrationPixels: calibrationSet.images, count: count,
            method: CalibrationMethod(rawValue: calibration) ?? .auto,
            batchSize: try EvaluationMemory.batchSize(network: network, preferred: 50, spec: spec))
        try output.artifact.write(to: q8)
        print("wrote \(q8)")
    }
}
