/// A safetensors file (or an in-memory buffer named by `source`) that cannot be read or written.
public struct SafeTensorsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file path (or caller-chosen label) the bytes came from.
    public var source: String
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}

/// Formats shapes the way PyTorch prints them, for messages: `[64, 1, 3, 3]`, `[]` for scalars.
func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
