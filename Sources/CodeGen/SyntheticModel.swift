import ModelIO
import NetSpec
import Quantization
import Reference

/// Deterministic random float weights for a spec, quantized with calibration on deterministic synthetic images:
/// int8 models for kernel edge-case tests and for compiling before trained weights exist. Not for accuracy.
public enum SyntheticModel {
    /// SplitMix64: tiny, seedable, identical on every platform (also what seeded tests draw their shapes from).
    public struct Generator: RandomNumberGenerator {
        var state: UInt64
        public init(state: UInt64) { self.state = state }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in [-1, 1] with 1e-6 resolution.
        mutating func uniform() -> Float { Float(next() % 2_000_001) / 1_000_000 - 1 }
    }

    public static func parameters(for network: Network, seed: UInt64) -> [String: Tensor] {
        var generator = Generator(state: seed)
        var result: [String: Tensor] = [:]
        let batchNorms = Set(network.layers.filter { $0.op.kind == .batchNorm }.map(\.name))
        for spec in network.parameters {
            let fanIn = max(1, spec.shape.dropFirst().reduce(1, *))
            let scalars: [Float] = (0..<spec.elementCount).map { _ in
                switch spec.role {
                case .weight where batchNorms.contains(spec.layer): 1 + 0.3 * generator.uniform()
                case .weight: generator.uniform() * (6 / Float(fanIn)).squareRoot()
                case .bias: 0.1 * generator.uniform()
                case .runningMean: 0.2 * generator.uniform()
                case .runningVar: 0.8 + 0.5 * abs(generator.uniform())
                }
            }
            result[spec.name] = Tensor(shape: spec.shape, scalars: scalars)
        }
        return result
    }

    /// Blobs of ink on a dark background, so activations look a little like MNIST's (mostly 0, some 255).
    public static func images(count: Int, shape: Shape, seed: UInt64) -> [UInt8] {
        var generator = Generator(state: seed ^ 0xD1B5_4A32_D192_ED03)
        return (0..<(count * shape.elementCount)).map { _ in
            let r = generator.next() % 8
            return r < 5 ? 0 : r == 7 ? 255 : UInt8(truncatingIfNeeded: generator.next())
        }
    }

    /// `spec` parsed, random weights from `seed`, min-max calibrated on 16 synthetic images.
    public static func artifact(specSource: String, file: String, seed: UInt64) throws(CodeGenError) -> Q8Artifact {
        let network: Network
        do { network = try NetworkSpec.parse(specSource, file: file) }
        catch { throw CodeGenError("\(file): \(error.diagnostics.first?.description ?? "does not parse")") }
        let parameters = Self.parameters(for: network, seed: seed)
        let count = 16
        do {
            return try QuantizationPipeline.quantize(
                network: network, specSource: specSource, parameters: parameters,
                weightsSHA256: SHA256.hex(Array("synthetic weights, seed \(seed)".utf8)),
                calibrationPixels: images(count: count, shape: network.input.shape, seed: seed), count: count,
                method: .minMax, batchSize: count).artifact
        } catch {
            throw CodeGenError("\(file): cannot quantize synthetic weights: \(error.description)")
        }
    }
}
