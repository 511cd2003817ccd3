import Hummingbird
import HTTPTypes
import Foundation
import HummingbirdTesting
import NIOCore
import Serving
import Testing

/// Every route and every error of the API, in process (Hummingbird's router test mode, no sockets).
@Suite struct APIRouterTests {
    let png = ["Content-Type": "image/png"]

    func post(_ client: some TestClientProtocol, _ uri: String, _ bytes: [UInt8], contentType: String = "image/png",
              extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        headers[.contentType] = contentType
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    /// The response must be exactly this API error.
    func expectError(_ response: TestResponse, _ status: Int, _ code: String, messageContains: String? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status.code == status, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        let json = try jsonObject(response)
        #expect(json["error"] as? String == code, sourceLocation: sourceLocation)
        #expect((json["request_id"] as? String) == response.headers[HTTPField.Name("X-Request-ID")!],
                sourceLocation: sourceLocation)
        let message = try #require(json["message"] as? String, sourceLocation: sourceLocation)
        #expect(!message.isEmpty && !message.contains("\n"), sourceLocation: sourceLocation)
        if let messageContains {
            #expect(message.contains(messageContains), "message: \(message)", sourceLocation: sourceLocation)
        }
    }

    @Test func predictsARealDigitFromRawPNG() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        let seven = try TestImages.digit(7)
        try await app.test(.router) { client in
            let response = try await post(client, "/api/v1/predict", seven, extra: [HTTPField.Name("X-Request-ID")!: "abc-123"])
            #expect(response.status == .ok)
            #expect(response.headers[HTTPField.Name("X-Request-ID")!] == "abc-123")
            let json = try jsonObject(response)
            #expect(json["model"] as? String == "best")
            #expect(json["model_sha256"] as? String == ServerFixture.entry.info.weightsSHA256)
            #expect(json["digit"] as? Int == 7)
            #expect(json["request_id"] as? String == "abc-123")
            let probabilities = try #require(json["probabilities"] as? [Double])
            #expect(probabilities.count == 10)
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4)
            let confidence = try #require(json["confidence"] as? Double)
            #expect(confidence == probabilities[7])
            let top = try #require(json["top"] as? [[String: Any]])
            #expect(top.count == 3)
            #expect(top.first?["digit"] as? Int == 7)
            let input = try #require(json["input"] as? [String: Any])
            #expect(input["width"] as? Int == 28 && input["height"] as? Int == 28)
            let pixels = try #require(input["pixels"] as? [Int])
            #expect(pixels.count == 784 && pixels.allSatisfy { (0...255).contains($0) } && pixels.max() == 255)
            let box = try #require(json["ink_box"] as? [String: Int])
            #expect(Set(box.keys) == ["x", "y", "width", "height"])
            let latency = try #require(json["latency_ms"] as? [String: Double])
            #expect(Set(latency.keys) == ["decode", "preprocess", "inference", "total"])
        }
    }

    @Test func predictsFromMultipartAndHonoursTop() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        let body = TestImages.multipart(field: "image", try TestImages.digit(3))
        try await app.test(.router) { client in
            let response = try await post(client, "/api/v1/predict?top=5", body, contentType: "multipart/form-data; boundary=\"XyZzY\"")
            #expect(response.status == .ok)
            let json = try jsonObject(response)
            #expect(json["digit"] as? Int == 3)
            #expect((json["top"] as? [Any])?.count == 5)
            // A generated request id when the client sends none.
            let id = try #require(response.headers[HTTPField.Name("X-Request-ID")!])
            #expect(json["request_id"] as? String == id && !id.isEmpty)
        }
    }

    @Test func readsANumber() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        let number = try TestImages.number([2, 0, 2, 6])
        try await app.test(.router) { client in
            let response = try await post(client, "/api/v1/read?top=2", number)
            #expect(response.status == .ok)
            let json = try jsonObject(response)
            #expect(json["text"] as? String == "2026")
            let digits = try #require(json["digits"] as? [[String: Any]])
            #expect(digits.map { $0["digit"] as? Int } == [2, 0, 2, 6])
            #expect(digits.allSatisfy { ($0["top"] as? [Any])?.count == 2 && $0["box"] is [String: Int] })
            let confidences = digits.compactMap { $0["confidence"] as? Double }
            #expect(json["confidence"] as? Double == confidences.min())
        }
    }

    @Test func badRequests() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        let seven = try TestImages.digit(7)
        try await app.test(.router) { client in
            for top in ["0", "11", "x", "3.5"] {
                try expectError(try await post(client, "/api/v1/predict?top=\(top)", seven), 400, "bad_request",
                                messageContains: "'top'")
            }
            let noImage = TestImages.multipart(field: "picture", seven)
            try expectError(try await post(client, "/api/v1/predict", noImage, contentType: "multipart/form-data; boundary=XyZzY"),
                            400, "bad_request", messageContains: "no field named 'image' (found fields 'note', 'picture')")
            try expectError(try await post(client, "/api/v1/read", Array("garbage".utf8), contentType: "multipart/form-data; boundary=XyZzY"),
                            400, "bad_request", messageContains: "malformed multipart")
            try expectError(try await post(client, "/api/v1/predict", noImage, contentType: "multipart/form-data"),
                            400, "bad_request", messageContains: "boundary")
        }
    }

    @Test func unsupportedMediaTypes() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        try await app.test(.router) { client in
            try expectError(try await post(client, "/api/v1/predict", TestImages.text, contentType: "text/plain"),
                            415, "unsupported_media_type", messageContains: "got Content-Type 'text/plain'")
            try expectError(try await post(client, "/api/v1/predict", TestImages.jpeg), 415, "unsupported_media_type", messageContains: "JPEG")
            try expectError(try await post(client, "/api/v1/predict", TestImages.gif), 415, "unsupported_media_type", messageContains: "GIF")
            try expectError(try await post(client, "/api/v1/read", TestImages.text), 415, "unsupported_media_type",
                            messageContains: "not a PNG")
            try expectError(try await post(client, "/api/v1/predict", TestImages.multipart(field: "image", TestImages.jpeg),
                                           contentType: "multipart/form-data; boundary=XyZzY"),
                            415, "unsupported_media_type", messageContains: "JPEG")
        }
    }

    @Test func unprocessableImages() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        let seven = try TestImages.digit(7)
        var flipped = seven
        flipped[40] ^= 0xFF  // inside IDAT or its CRC
        let corrupt = flipped
        try await app.test(.router) { client in
            try expectError(try await post(client, "/api/v1/predict", Array(seven.prefix(seven.count / 2))), 422, "unreadable_image")
            try expectError(try await post(client, "/api/v1/predict", corrupt), 422, "unreadable_image")
            try expectError(try await post(client, "/api/v1/predict", TestImages.claiming(width: 100_000, height: 100_000)),
                            422, "image_too_large", messageContains: "100000×100000")
            try expectError(try await post(client, "/api/v1/predict", try TestImages.blank()), 422, "no_digit")
            try expectError(try await post(client, "/api/v1/read", try TestImages.blank()), 422, "no_digit")
        }
    }

    @Test func bodyCapFromContentLengthAndWhileStreaming() async throws {
        let server = try ServerFixture.server { $0.maxBodyBytes = 1000 }
        let app = Application(router: server.makeRouter())
        let big = [UInt8](repeating: 0x89, count: 5000)
        try await app.test(.router) { client in
            let declared = try await post(client, "/api/v1/predict", big, extra: [.contentLength: "5000"])
            try expectError(declared, 413, "payload_too_large", messageContains: "Content-Length 5000, the limit is 1000 bytes")
            #expect(declared.headers[.connection] == "close")
            // (The router test client always sends Content-Length; LiveServerTests covers a chunked body.)
            try expectError(try await post(client, "/api/v1/read", big), 413, "payload_too_large")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(String(buffer: metrics.body).contains("digits_body_too_large_total 2"))
        }
    }

    @Test func notFoundAndMethodNotAllowed() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        try await app.test(.router) { client in
            try expectError(try await client.execute(uri: "/api/v1/nothing", method: .get), 404, "not_found")
            try expectError(try await client.execute(uri: "/no-such-file.js", method: .get), 404, "not_found")
            let wrong = try await client.execute(uri: "/api/v1/predict", method: .get)
            try expectError(wrong, 405, "method_not_allowed", messageContains: "use POST")
            #expect(wrong.headers[.allow] == "POST")
            let wrongHealth = try await client.execute(uri: "/healthz", method: .post, body: ByteBuffer())
            try expectError(wrongHealth, 405, "method_not_allowed")
            #expect(wrongHealth.headers[.allow] == "GET")
        }
    }

    @Test func overloadIsRefusedWithRetryAfter() async throws {
        let gated = GatedRecognizer(base: ServerFixture.recognizer)
        let server = try ServerFixture.server(recognizer: gated) { $0.maxInFlight = 1; $0.workers = 1 }
        let app = Application(router: server.makeRouter())
        let seven = try TestImages.digit(7)
        try await app.test(.router) { client in
            async let first = post(client, "/api/v1/predict", seven)
            #expect(try await eventually { gated.enteredCount == 1 })
            let second = try await post(client, "/api/v1/predict", seven)
            try expectError(second, 503, "overloaded")
            #expect(second.headers[.retryAfter] == "1")
            gated.open()
            #expect(try await first.status == .ok)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("digits_rejected_overload_total 1"))
            #expect(metrics.contains("digits_in_flight_requests 0"))
        }
    }

    @Test func healthReadinessAndDraining() async throws {
        let server = try ServerFixture.server(ready: false)
        let app = Application(router: server.makeRouter())
        try await app.test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok && String(buffer: health.body) == #"{"status":"ok"}"#)
            let starting = try await client.execute(uri: "/readyz", method: .get)
            #expect(starting.status == .serviceUnavailable && String(buffer: starting.body) == #"{"status":"starting"}"#)
            try server.warmUp()
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok && String(buffer: ready.body) == #"{"status":"ready"}"#)
            server.state.beginDraining()
            let draining = try await client.execute(uri: "/readyz", method: .get)
            #expect(draining.status == .serviceUnavailable && String(buffer: draining.body) == #"{"status":"draining"}"#)
        }
    }

    @Test func modelsList() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/models", method: .get)
            #expect(response.status == .ok)
            let json = try jsonObject(response)
            #expect(json["served"] as? String == "best")
            let models = try #require(json["models"] as? [[String: Any]])
            #expect(models.compactMap { $0["name"] as? String } == ModelRegistry.all.names)
            let best = try #require(models.first { $0["name"] as? String == "best" })
            #expect(best["served"] as? Bool == true)
            #expect(best["weights_sha256"] as? String == ServerFixture.entry.info.weightsSHA256)
            #expect(best["spec_sha256"] as? String == ServerFixture.entry.info.specSHA256)
            #expect(best["macs"] as? Int == ServerFixture.entry.info.macs)
            #expect(best["parameters"] as? Int == ServerFixture.entry.info.parameters)
            #expect(models.filter { $0["served"] as? Bool == true }.count == 1)
        }
    }

    @Test func openAPIDescribesEveryRoute() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            let json = try jsonObject(response)
            #expect(json["openapi"] as? String == "3.1.0")
            let paths = try #require(json["paths"] as? [String: [String: Any]])
            for route in APIRoutes.all {
                let documented = route.path == "/**" ? "/{asset}" : route.path
                let operations = try #require(paths[documented], "\(route.path) missing from openapi.json")
                #expect(operations[route.method.rawValue.lowercased()] != nil, "\(route.method) \(route.path) undocumented")
            }
            #expect(paths.count == APIRoutes.all.count)
            let schemas = try #require((json["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let errorCodes = try #require(((schemas["Error"] as? [String: Any])?["properties"] as? [String: Any])?["error"] as? [String: Any])
            #expect(Set(try #require(errorCodes["enum"] as? [String])) == Set(APIError.Code.allCases.map(\.rawValue)))
        }
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        let seven = try TestImages.digit(7)
        try await app.test(.router) { client in
            _ = try await post(client, "/api/v1/predict", seven)
            _ = try await post(client, "/api/v1/predict", seven)
            _ = try await post(client, "/api/v1/predict", TestImages.jpeg)
            _ = try await client.execute(uri: "/nowhere/at/all", method: .get)
            _ = try await client.execute(uri: "/api/v2/predict", method: .post, body: ByteBuffer())
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            #expect(text.contains(#"digits_http_requests_total{route="/api/v1/predict",status="200"} 2"#))
            #expect(text.contains(#"digits_http_requests_total{route="/api/v1/predict",status="415"} 1"#))
            #expect(text.contains(#"digits_http_requests_total{route="unmatched",status="404"} 2"#))
            #expect(text.contains(#"digits_http_request_duration_seconds_count{route="/api/v1/predict"} 3"#))
            #expect(text.contains("digits_in_flight_requests 0"))
            #expect(text.contains("digits_rejected_overload_total 0"))
            #expect(text.contains("digits_body_too_large_total 0"))
        }
    }

    @Test func staticPageWithSecurityHeadersAndETag() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
            #expect(page.headers[.cacheControl] == "no-cache")
            #expect(String(buffer: page.body).contains("<html"))
            let etag = try #require(page.headers[.eTag])
            let same = try await client.execute(uri: "/index.html", method: .get)
            #expect(same.status == .ok && same.body == page.body && same.headers[.eTag] == etag)
            let revalidated = try await client.execute(uri: "/", method: .get, headers: [.ifNoneMatch: etag])
            #expect(revalidated.status == .notModified && revalidated.body.readableBytes == 0)
        }
    }

    @Test func unsafeRequestIDsAreReplaced() async throws {
        let app = Application(router: try ServerFixture.server().makeRouter())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get,
                                                    headers: [HTTPField.Name("X-Request-ID")!: "a b\"c"])
            let id = try #require(response.headers[HTTPField.Name("X-Request-ID")!])
            #expect(id != "a b\"c" && !id.isEmpty)
        }
    }
}

import Generated
import Runtime
