import Foundation
import Generated
import Runtime
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Serving
import Synchronization
import Testing

/// One log line per request, carrying the request id.
@Suite struct RequestLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[(message: String, requestID: String?)]>([])
    }

    struct CapturingHandler: LogHandler {
        let sink: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.lines.withLock { $0.append(("\(event.message)", merged["request_id"].map { "\($0)" })) }
        }
    }

    @Test func everyRequestLogsMethodPathStatusTimeAndID() async throws {
        let sink = Lines()
        let logger = Logger(label: "test") { _ in CapturingHandler(sink: sink) }
        let server = try DigitsServer(options: ServerFixture.options(), recognizer: ServerFixture.recognizer,
                                      models: ModelRegistry.all.entries, logger: logger)
        let app = Application(router: server.makeRouter())
        let seven = try TestImages.digit(7)
        try await app.test(.router) { client in
            _ = try await client.execute(uri: "/api/v1/predict", method: .post,
                                         headers: [.contentType: "image/png", HTTPField.Name("X-Request-ID")!: "log-me"],
                                         body: ByteBuffer(bytes: seven))
            _ = try await client.execute(uri: "/nope", method: .get)
        }
        let lines = sink.lines.withLock { $0 }
        #expect(lines.count == 2)
        let first = try #require(lines.first)
        #expect(first.requestID == "log-me")
        #expect(first.message.hasPrefix("POST /api/v1/predict 200 ") && first.message.hasSuffix(" ms"))
        let second = try #require(lines.last)
        #expect(second.message.hasPrefix("GET /nope 404 "))
        #expect(second.requestID?.isEmpty == false)
    }
}
