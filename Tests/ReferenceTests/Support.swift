import ModelIO
import NetSpec
@testable import Reference

/// Builds an interpreter from spec text and `name → (shape, values)` weights.
func interpreter(_ spec: String, _ weights: [String: Tensor] = [:]) throws -> FloatInterpreter {
    try FloatInterpreter(network: try NetworkSpec.parse(spec, file: "test.spec"), parameters: weights)
}

func t(_ shape: [Int], _ scalars: [Float]) -> Tensor { Tensor(shape: shape, scalars: scalars) }
