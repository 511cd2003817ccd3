import Foundation
import Quantization

/// One file `digits compile` writes.
public struct GeneratedFile: Sendable, Hashable {
    public var name: String
    public var contents: String
}

/// Int8 model → Swift source for the `Generated` target: deterministic (same inputs, same bytes), no timestamps.
public enum CodeGenerator {
    /// `seed` → `SeedModel`.
    public static func typeName(for modelName: String) -> String { SwiftLiteral.typeName(modelName) + "Model" }

    /// The model's two files: `<Type>.swift` (predictor and constants) and `<Type>+Weights.swift` (blob).
    public static func generate(_ source: CompilationSource, origin: ModelSource) throws(CodeGenError) -> [GeneratedFile] {
        let plan = try Planner.plan(source.model)
        let typeName = typeName(for: source.model.name)
        return [
            GeneratedFile(name: "\(typeName).swift",
                          contents: PredictorTemplate.render(source, plan, typeName: typeName, sourceLine: origin.line)),
            GeneratedFile(name: "\(typeName)+Weights.swift",
                          contents: WeightsTemplate.render(source, weights: plan.weights, typeName: typeName, sourceLine: origin.line)),
        ]
    }

    /// Loads `origin` and generates its files as they belong in `directory` (relative to `root`).
    public static func generate(_ origin: ModelSource, root: URL, directory: String, registry: String) throws(CodeGenError) -> [GeneratedFile] {
        let (artifact, specPath) = try origin.load(root: root)
        let source = try CompilationSource(artifact: artifact, specPath: specPath,
                                           command: origin.command(directory: directory, registry: registry))
        return try generate(source, origin: origin)
    }

    public static func registry(property: String, typeNames: [String]) -> GeneratedFile {
        GeneratedFile(name: RegistryTemplate.fileName, contents: RegistryTemplate.render(property: property, typeNames: typeNames))
    }

    /// The models already in a directory: (type name, source) from each model file's header.
    public static func models(in directory: URL) -> [(typeName: String, source: ModelSource)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var result: [(String, ModelSource)] = []
        for name in names.sorted() where name.hasSuffix("Model.swift") {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8),
                  let line = text.split(separator: "\n").prefix(8).first(where: { $0.hasPrefix("// source: ") }),
                  let source = ModelSource(line: String(line.dropFirst("// source: ".count))) else { continue }
            result.append((String(name.dropLast(".swift".count)), source))
        }
        return result
    }

    /// The registry property a directory's registry file declares (`all` by default).
    public static func registryProperty(in directory: URL) -> String {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(RegistryTemplate.fileName), encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("// registry: ") }) else { return "all" }
        return String(line.dropFirst("// registry: ".count))
    }

    /// Regenerates every model in `directory` (relative to `root`) in memory and returns one line per file whose
    /// committed contents differ: "Generated/SeedModel.swift is stale — run digits compile …".
    public static func staleFiles(directory: String, root: URL) throws(CodeGenError) -> [String] {
        let url = root.appendingPathComponent(directory)
        let registry = registryProperty(in: url)
        var problems: [String] = []
        let models = models(in: url)
        for (_, source) in models {
            let command = source.command(directory: directory, registry: registry)
            for file in try generate(source, root: root, directory: directory, registry: registry) {
                let onDisk = try? String(contentsOf: url.appendingPathComponent(file.name), encoding: .utf8)
                if onDisk != file.contents { problems.append("\(directory)/\(file.name) is stale — run \(command)") }
            }
        }
        let expected = self.registry(property: registry, typeNames: models.map(\.typeName))
        let onDisk = try? String(contentsOf: url.appendingPathComponent(expected.name), encoding: .utf8)
        if onDisk != expected.contents {
            problems.append("\(directory)/\(expected.name) is stale — run digits compile on any model in \(directory)")
        }
        return problems
    }
}
