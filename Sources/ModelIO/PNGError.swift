/// A PNG that cannot be decoded or written. `kind` lets servers map failures to status codes
/// (`notPNG` → 415 Unsupported Media Type, everything else about the data → 422).
public struct PNGError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The bytes don't start with the PNG signature (possibly another image format).
        case notPNG
        /// The data ends before the image is complete.
        case truncated
        /// Structurally broken: bad CRC, bad IHDR, bad zlib stream, too little image data…
        case corrupt
        /// IHDR declares a width or height of zero.
        case empty
        /// width × height exceeds the caller's pixel limit (checked before decoding).
        case tooLarge
        /// The file could not be read or written (missing, permissions, disk full…).
        case io
        /// libpng could not encode the pixels (or ran out of memory).
        case encoding
    }

    /// The file path (or caller-chosen label such as an upload's name) the bytes came from or go to.
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
