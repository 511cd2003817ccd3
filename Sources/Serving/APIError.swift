import HTTPTypes
import Recognition

/// An error the API reports as `{"error": code, "message": …, "request_id": …}`. Codes are part of the API
/// contract (docs/api.md, openapi.json); messages are one line meant for people.
public struct APIError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable, CaseIterable {
        case badRequest = "bad_request"
        case notFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case payloadTooLarge = "payload_too_large"
        case unsupportedMediaType = "unsupported_media_type"
        case unreadableImage = "unreadable_image"
        case imageTooLarge = "image_too_large"
        case noDigit = "no_digit"
        case overloaded = "overloaded"
        case internalError = "internal_error"

        public var status: HTTPResponse.Status {
            switch self {
            case .badRequest: .badRequest
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .payloadTooLarge: .contentTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            case .unreadableImage, .imageTooLarge, .noDigit: .unprocessableContent
            case .overloaded: .serviceUnavailable
            case .internalError: .internalServerError
            }
        }
    }

    public var code: Code
    public var message: String
    /// Extra response headers (Allow for 405, Retry-After for 503).
    public var headers: HTTPFields = [:]

    public init(_ code: Code, _ message: String, headers: HTTPFields = [:]) {
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// Bad input found by Recognition; `.model` is the only kind that is the server's fault.
    init(_ error: RecognitionError) {
        switch error.kind {
        case .unsupportedFormat: self.init(.unsupportedMediaType, error.description)
        case .tooLarge: self.init(.imageTooLarge, error.description)
        case .unreadableImage: self.init(.unreadableImage, error.description)
        case .noDigit: self.init(.noDigit, error.description)
        case .model: self.init(.internalError, error.description)
        }
    }
}
