import Foundation
import Quantization

/// Where a generated model comes from, recorded in its header (`// source: …`) so that the stale check can
/// rebuild it: a `.q8` artifact next to its spec, or a spec with synthetic weights (edge-case test models).
public enum ModelSource: Sendable, Hashable {
    case artifact(path: String)
    case synthetic(spec: String, seed: UInt64)

    public var line: String {
        switch self {
        case .artifact(let path): "q8 \(path)"
        case .synthetic(let spec, let seed): "synthetic \(spec) seed \(seed)"
        }
    }

    public init?(line: String) {
        let words = line.split(separator: " ").map(String.init)
        if words.count == 2, words[0] == "q8" {
            self = .artifact(path: words[1])
        } else if words.count == 4, words[0] == "synthetic", words[2] == "seed", let seed = UInt64(words[3]) {
            self = .synthetic(spec: words[1], seed: seed)
        } else {
            return nil
        }
    }

    /// The command that regenerates the model into `directory` (paths relative to the repository root).
    public func command(directory: String, registry: String) -> String {
        let registryFlag = registry == "all" ? "" : " --registry \(registry)"
        switch self {
        case .artifact(let path): return "digits compile \(path) --out \(directory)\(registryFlag)"
        case .synthetic(let spec, let seed): return "digits compile \(spec) --synthetic-weights \(seed) --out \(directory)\(registryFlag)"
        }
    }

    static func resolve(_ path: String, _ root: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
    }

    /// The int8 model and its spec path; relative paths are resolved against `root`.
    public func load(root: URL) throws(CodeGenError) -> (artifact: Q8Artifact, specPath: String) {
        switch self {
        case .artifact(let path):
            let url = Self.resolve(path, root)
            do {
                let artifact = try Q8Artifact.load(path: url.path)
                let specPath = path.hasSuffix(".q8") ? String(path.dropLast(3)) + ".spec" : path + ".spec"
                return (artifact, specPath)
            } catch {
                throw CodeGenError(error.description)
            }
        case .synthetic(let spec, let seed):
            let url = Self.resolve(spec, root)
            guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
                throw CodeGenError("\(spec): cannot be read")
            }
            return (try SyntheticModel.artifact(specSource: text, file: spec, seed: seed), spec)
        }
    }
}
