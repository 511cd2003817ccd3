import Imaging
import ModelIO
import Runtime

/// Why an image could not be recognized. `kind` lets the server choose the HTTP status: `.unsupportedFormat`
/// is 415, `.tooLarge` 413/422, `.unreadableImage` and `.noDigit` 422, `.model` 500 (a bug, never bad input).
public struct RecognitionError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case unsupportedFormat = "unsupported_media_type"
        case tooLarge = "image_too_large"
        case unreadableImage = "unreadable_image"
        case noDigit = "no_digit"
        case model = "model_error"
    }

    public var kind: Kind
    public var description: String

    public init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
    }

    init(_ error: DigitInputError) {
        switch error {
        case .png(let png):
            switch png.kind {
            case .notPNG: self.init(kind: .unsupportedFormat, description: png.description)
            case .tooLarge: self.init(kind: .tooLarge, description: png.description)
            default: self.init(kind: .unreadableImage, description: png.description)
            }
        case .imaging(let imaging):
            switch imaging.kind {
            case .noDigitFound: self.init(kind: .noDigit, description: imaging.description)
            case .unusableImage: self.init(kind: .unreadableImage, description: imaging.description)
            }
        }
    }
}
