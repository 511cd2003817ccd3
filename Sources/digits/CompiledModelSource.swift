import CodeGen
import Foundation
import ModelIO
import NetSpec
import Reference
import Runtime

/// What a compiled model was generated from, found through the header of its file in Generated/: the int8
/// plan (for per-layer timing) and, when the float weights are in the repository, the float network.
struct CompiledModelSource {
    var plan: PredictorPlan
    var network: Network
    /// nil when the `.safetensors` beside the `.q8` is absent.
    var float: FloatInterpreter?

    static func load(_ entry: ModelRegistry.Entry, root: URL) throws -> CompiledModelSource {
        let generated = root.appendingPathComponent("Generated")
        guard let origin = CodeGenerator.models(in: generated).first(where: { $0.typeName == "\(entry.type)" })?.source else {
            throw CLIError("\(entry.info.name): no generated source for \(entry.type) in \(generated.path) (run inside the Digits repository)")
        }
        let (artifact, specPath) = try origin.load(root: root)
        let plan = try Planner.plan(artifact.model)
        let network = try NetworkSpec.parse(artifact.specSource, file: specPath)
        let parameters: [String: Tensor]?
        switch origin {
        case .synthetic(_, let seed): parameters = SyntheticModel.parameters(for: network, seed: seed)
        case .artifact(let path):
            let weights = String(path.dropLast(3)) + ".safetensors"
            if let bytes = FileManager.default.contents(atPath: root.appendingPathComponent(weights).path) {
                parameters = try WeightSet(file: SafeTensorsFile.decode(bytes, source: weights), source: weights).tensors
            } else {
                parameters = nil
            }
        }
        return CompiledModelSource(plan: plan, network: network,
                                   float: try parameters.map { try FloatInterpreter(network: network, parameters: $0) })
    }
}
