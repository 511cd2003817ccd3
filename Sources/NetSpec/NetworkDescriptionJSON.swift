import Foundation

/// The one JSON format for network descriptions, so every tool writes and reads the same thing.
extension NetworkDescription {
    /// Pretty-printed with sorted keys (stable output to diff), attributes a layer does not take left out.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public func jsonData() throws -> Data {
        try Self.makeEncoder().encode(self)
    }

    public init(jsonData data: Data) throws {
        self = try JSONDecoder().decode(Self.self, from: data)
    }
}
