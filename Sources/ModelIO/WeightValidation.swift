import NetSpec

/// Everything wrong between a weights file and the tensors a network needs, reported together so one run
/// shows the whole picture.
public struct WeightValidationError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        case missing(name: String, expected: [Int])
        case misshapen(name: String, expected: [Int], found: [Int])
        /// `suggestion` is a missing parameter whose name is close (a likely renamed layer).
        case unused(name: String, shape: [Int], suggestion: String?)
        case unsupportedDType(name: String, dtype: SafeTensorsDType, shape: [Int])

        public var description: String {
            switch self {
            case .missing(let name, let expected):
                "missing tensor '\(name)' (expected shape \(shapeText(expected)))"
            case .misshapen(let name, let expected, let found):
                "tensor '\(name)' has shape \(shapeText(found)), expected \(shapeText(expected))"
            case .unused(let name, let shape, let suggestion):
                "unused tensor '\(name)' \(shapeText(shape))" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
            case .unsupportedDType(let name, let dtype, let shape):
                "tensor '\(name)' \(shapeText(shape)) has dtype \(dtype.rawValue); weights must be F32, F16 or BF16"
            }
        }
    }

    public var source: String
    public var network: String
    public var problems: [Problem]

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "\(source): weights do not fit network '\(network)', \(count): "
            + problems.map(\.description).joined(separator: "; ")
    }
}

extension WeightSet {
    /// Checks that every `network.parameters` entry is present with exactly its shape and that nothing else is
    /// in the file (besides the ignored `num_batches_tracked` counters).
    public func validate(against network: Network) throws(WeightValidationError) {
        var problems: [WeightValidationError.Problem] = []
        let expected = network.parameters
        let expectedNames = Set(expected.map(\.name))
        var missing: [String] = []
        for parameter in expected {
            if let tensor = tensors[parameter.name] {
                if tensor.shape != parameter.shape {
                    problems.append(.misshapen(name: parameter.name, expected: parameter.shape, found: tensor.shape))
                }
            } else if let unsupported = unsupportedTensors[parameter.name] {
                problems.append(.unsupportedDType(name: parameter.name, dtype: unsupported.dtype, shape: unsupported.shape))
            } else {
                problems.append(.missing(name: parameter.name, expected: parameter.shape))
                missing.append(parameter.name)
            }
        }
        let extras = Set(tensors.keys).union(unsupportedTensors.keys).subtracting(expectedNames)
        for name in extras.sorted() {
            if let unsupported = unsupportedTensors[name] {
                problems.append(.unsupportedDType(name: name, dtype: unsupported.dtype, shape: unsupported.shape))
            } else {
                let shape = tensors[name]?.shape ?? []
                problems.append(.unused(name: name, shape: shape, suggestion: NameSuggestion.closest(to: name, in: missing)))
            }
        }
        guard problems.isEmpty else {
            throw WeightValidationError(source: source, network: network.name, problems: problems)
        }
    }
}

/// "Did you mean" for tensor names from a renamed layer (`conv1.weight` for `conv2d.weight`): only candidates
/// with the same role suffix (`.weight`, `.bias`, ...) are considered.
enum NameSuggestion {
    static func closest(to name: String, in candidates: [String]) -> String? {
        let role = name.split(separator: ".").last.map(String.init) ?? ""
        return Suggestion.closest(to: name, in: candidates.filter { ($0.split(separator: ".").last.map(String.init) ?? "") == role })
    }
}
