import Hummingbird
import Recognition

/// POST /api/v1/predict and /api/v1/read.
struct ImageEndpoints: Sendable {
    let recognizer: any DigitRecognizing
    let queue: RecognitionQueue
    let connections: ConnectionRegistry
    let maxBodyBytes: Int

    func predict(_ request: Request, _ context: ServingContext) async throws -> Response {
        try await recognize(request, context) { recognizer, png, top, requestID throws(RecognitionError) in
            let (prediction, times) = try recognizer.predict(png: png, source: "upload")
            return ResponseBodies.prediction(prediction, times: times, top: top, info: recognizer.info, requestID: requestID)
        }
    }

    func read(_ request: Request, _ context: ServingContext) async throws -> Response {
        try await recognize(request, context) { recognizer, png, top, requestID throws(RecognitionError) in
            let (reading, times) = try recognizer.read(png: png, source: "upload")
            return ResponseBodies.reading(reading, times: times, top: top, info: recognizer.info, requestID: requestID)
        }
    }

    /// The shared shape of both endpoints: `?top`, the body (capped), then `work` on a recognition worker, its
    /// failures mapped to API errors.
    private func recognize(
        _ request: Request, _ context: ServingContext,
        _ work: @escaping @Sendable (any DigitRecognizing, [UInt8], Int, String) throws(RecognitionError) -> [UInt8]
    ) async throws -> Response {
        let top = try Self.top(request)
        let png = try await ImageUpload.png(from: request, maxBytes: maxBodyBytes)
        let recognizer = self.recognizer
        let requestID = context.requestID
        let body = try await queue.run(for: connections.state(of: context.channel)) { () throws(APIError) -> [UInt8] in
            do throws(RecognitionError) { return try work(recognizer, png, top, requestID) }
            catch { throw APIError(error) }
        }
        return Self.json(body)
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `?top=K`, 1…10, default 3.
    static func top(_ request: Request) throws(APIError) -> Int {
        guard let text = request.uri.queryParameters["top"] else { return 3 }
        guard let k = Int(String(text)), (1...10).contains(k) else {
            throw APIError(.badRequest, "query parameter 'top' must be an integer from 1 to 10, got '\(text)'")
        }
        return k
    }
}
