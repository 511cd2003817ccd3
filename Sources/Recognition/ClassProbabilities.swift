import Runtime

/// Probabilities of each class from int8 logits: softmax over the dequantized values
/// (`real = outputScale × (q − outputZeroPoint)`), computed in Double so that the result does not depend on the CPU.
public enum ClassProbabilities {
    public static func softmax(logits: [Int8], info: ModelInfo) -> [Double] {
        guard !logits.isEmpty else { return [] }
        let reals = logits.map { info.outputScale * Double(Int32($0) - info.outputZeroPoint) }
        // Subtracting the largest value keeps exp() finite whatever the scale.
        let largest = reals.max() ?? 0
        let exps = reals.map { exp($0 - largest) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }

    /// The `k` most probable classes, most probable first; ties go to the lower class index.
    public static func top(_ k: Int, of probabilities: [Double]) -> [Candidate] {
        let ranked = probabilities.indices.sorted { a, b in
            probabilities[a] != probabilities[b] ? probabilities[a] > probabilities[b] : a < b
        }
        return ranked.prefix(max(0, k)).map { Candidate(digit: $0, probability: probabilities[$0]) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One class and its probability.
public struct Candidate: Sendable, Equatable, Codable {
    public var digit: Int
    public var probability: Double

    public init(digit: Int, probability: Double) {
        self.digit = digit
        self.probability = probability
    }
}
