/// An image that cannot be turned into digits. `source` names the file or upload.
public struct ImagingError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Blank page, too little contrast, or only noise.
        case noDigitFound
        /// The image is smaller than the preprocessing can use (e.g. 0 pixels).
        case unusableImage
    }

    public var source: String
    public var kind: Kind
    public var reason: String

    public init(source: String, kind: Kind, reason: String) {
        self.source = source
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}
