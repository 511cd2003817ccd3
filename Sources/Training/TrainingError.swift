/// Everything that can stop training, each with a one-line description naming what was expected and found.
public enum TrainingError: Error, CustomStringConvertible, Sendable, Equatable {
    case missingParameter(name: String, shape: [Int])
    case parameterShapeMismatch(name: String, expected: [Int], found: [Int])
    case nonFiniteLoss(epoch: Int, batch: Int, loss: Float)
    case invalidConfiguration(String)
    case invalidData(String)
    case unsupportedNetwork(String)
    case checkpoint(path: String, reason: String)

    public var description: String {
        func dims(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
        switch self {
        case .missingParameter(let name, let shape):
            return "initial parameters have no tensor '\(name)' (expected shape \(dims(shape)))"
        case .parameterShapeMismatch(let name, let expected, let found):
            return "parameter '\(name)' has shape \(dims(found)), expected \(dims(expected))"
        case .nonFiniteLoss(let epoch, let batch, let loss):
            return "training diverged: loss is \(loss) at epoch \(epoch), batch \(batch); no weights were written "
                + "(try a lower --lr)"
        case .invalidConfiguration(let message): return "invalid training configuration: \(message)"
        case .invalidData(let message): return "invalid training data: \(message)"
        case .unsupportedNetwork(let message): return "cannot train this network: \(message)"
        case .checkpoint(let path, let reason): return "checkpoint '\(path)': \(reason)"
        }
    }
}
