import ModelIO
import NetSpec
import Quantization
import Reference

/// Everything a generated file is derived from: the int8 model and where it came from (for the header, the
/// registry metadata and the "is stale" check).
public struct CompilationSource: Sendable {
    public var model: Int8Model
    /// The spec text the model was built from and its path relative to the repository root.
    public var specSource: String
    public var specPath: String
    public var weightsSHA256: String
    /// How to regenerate, written into the header: e.g. `digits compile Specs/seed.q8 --out Generated`.
    public var command: String
    public var macs: Int
    public var parameters: Int

    public init(model: Int8Model, specSource: String, specPath: String, weightsSHA256: String, command: String,
                macs: Int, parameters: Int) {
        self.model = model
        self.specSource = specSource
        self.specPath = specPath
        self.weightsSHA256 = weightsSHA256
        self.command = command
        self.macs = macs
        self.parameters = parameters
    }

    /// From a `.q8` artifact: MACs and parameter counts come from the embedded spec.
    public init(artifact: Q8Artifact, specPath: String, command: String) throws(CodeGenError) {
        let network: Network
        do { network = try NetworkSpec.parse(artifact.specSource, file: specPath) }
        catch { throw CodeGenError("\(specPath): the embedded spec does not parse") }
        self.init(model: artifact.model, specSource: artifact.specSource, specPath: specPath,
                  weightsSHA256: artifact.weightsSHA256, command: command,
                  macs: network.macs, parameters: network.parameterCount)
    }

    public var specSHA256: String { SHA256.hex(Array(specSource.utf8)) }
}
