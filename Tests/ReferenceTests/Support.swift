import ModelIO
import NetSpec
import Reference

/// Builds an interpreter from spec text and hand-written weights.
func interpreter(_ spec: String, _ weights: [String: Tensor] = [:]) throws -> FloatInterpreter {
    try FloatInterpreter(network: try NetworkSpec.parse(spec, file: "test.spec"), parameters: weights)
}

func t(_ shape: [Int], _ scalars: [Float]) -> Tensor { Tensor(shape: shape, scalars: scalars) }

/// `1, 2, 3, …` laid out in `shape`: easy to follow by hand.
func counting(_ shape: [Int]) -> Tensor {
    t(shape, (1...shape.reduce(1, *)).map(Float.init))
}

/// Deterministic pseudo-random numbers (SplitMix64) so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
