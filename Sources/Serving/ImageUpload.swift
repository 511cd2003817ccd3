import Hummingbird
import NIOCore

/// The PNG bytes of an API request: raw `image/png`, or the `image` field of `multipart/form-data`.
/// The body is counted as it streams in, so neither a lying Content-Length nor a chunked body can make the
/// server hold more than `maxBytes`.
enum ImageUpload {
    static func png(from request: Request, maxBytes: Int) async throws -> [UInt8] {
        let contentType = request.headers[.contentType] ?? ""
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let isMultipart = mediaType == "multipart/form-data"
        guard mediaType == "image/png" || isMultipart else {
            let found = contentType.isEmpty ? "no Content-Type" : "Content-Type '\(contentType)'"
            throw APIError(.unsupportedMediaType, "send the image as image/png or as the 'image' field of multipart/form-data; got \(found)")
        }
        // Multipart decided before reading the body, so a bad boundary costs nothing.
        let boundary = isMultipart ? try MultipartForm.boundary(fromContentType: contentType) : nil
        let body = try await collect(request, maxBytes: maxBytes)
        guard let boundary else { return body }
        return try MultipartForm.field("image", in: body, boundary: boundary)
    }

    /// The whole body, refusing (413) as soon as the declared or received length passes `maxBytes`.
    static func collect(_ request: Request, maxBytes: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBytes {
            throw tooLarge(maxBytes, found: "Content-Length \(declared)")
        }
        var bytes: [UInt8] = []
        for try await chunk in request.body {
            guard bytes.count + chunk.readableBytes <= maxBytes else {
                throw tooLarge(maxBytes, found: "more than \(maxBytes) bytes")
            }
            chunk.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    private static func tooLarge(_ maxBytes: Int, found: String) -> APIError {
        APIError(.payloadTooLarge, "request body too large: \(found), the limit is \(maxBytes) bytes")
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
