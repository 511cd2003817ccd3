import Foundation
import ServiceLifecycle
import Serving
import Synchronization
import Testing

/// The hardening that only a real socket shows: body cap before reading, connection cap, idle timeout,
/// cancellation of queued work when the client leaves, graceful drain.
@Suite(.serialized) struct LiveServerTests {
    /// Runs `server` on a free port, hands the port to `body`, then shuts down gracefully.
    func withLiveServer(_ server: DigitsServer,
                        _ body: @Sendable (Int, ServiceGroup) async throws -> Void) async throws {
        let port = Mutex<Int?>(nil)
        let group = server.makeServiceGroup(signals: []) { p in port.withLock { $0 = p } }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await eventually { port.withLock { $0 } != nil })
            let listening = try #require(port.withLock { $0 })
            do {
                try await body(listening, group)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func bodyOverTheCapIsRefusedBeforeItIsSent() async throws {
        let server = try ServerFixture.server { $0.maxBodyBytes = 1000 }
        try await withLiveServer(server) { port, _ in
            let connection = try RawHTTPConnection(port: port)
            // Headers only: the 413 must come without the server waiting for the 50 MB.
            try connection.send("POST /api/v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 50000000\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(String(decoding: response.body, as: UTF8.self).contains(#""error":"payload_too_large""#))
            #expect(response.headers["connection"] == "close")
            // The server does not wait for (or read) the 50 MB: it hangs up shortly after answering.
            let start = Date()
            try? connection.send([UInt8](repeating: 0, count: 100_000))
            #expect(connection.readUntilClosed() != nil)
            #expect(Date().timeIntervalSince(start) < 4)
        }
    }

    @Test func chunkedBodyOverTheCapIsRefusedWhileStreaming() async throws {
        let server = try ServerFixture.server { $0.maxBodyBytes = 1000 }
        try await withLiveServer(server) { port, _ in
            let connection = try RawHTTPConnection(port: port)
            try connection.send("POST /api/v1/read HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n")
            // 1.2 kB in chunks, then the stream stays open: the answer must not wait for its end.
            for _ in 0..<3 { try connection.send("190\r\n" + String(repeating: "a", count: 400) + "\r\n") }
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(String(decoding: response.body, as: UTF8.self).contains("more than 1000 bytes"))
        }
    }

    @Test func connectionsOverTheCapAreClosedAtOnce() async throws {
        let server = try ServerFixture.server { $0.maxConnections = 2 }
        try await withLiveServer(server) { port, _ in
            let first = try RawHTTPConnection(port: port)
            let second = try RawHTTPConnection(port: port)
            try first.send(RawHTTPConnection.request("GET", "/healthz"))
            #expect(try first.readResponse().status == 200)
            try second.send(RawHTTPConnection.request("GET", "/healthz"))
            #expect(try second.readResponse().status == 200)
            let start = Date()
            let third = try RawHTTPConnection(port: port, receiveTimeout: 2)
            try? third.send(RawHTTPConnection.request("GET", "/healthz"))
            #expect(third.readUntilClosed() == [], "the third connection must be closed without an answer")
            #expect(Date().timeIntervalSince(start) < 1)
            let metrics = try RawHTTPConnection.fetchMetricsWhenSlotFrees(port: port, closing: first)
            #expect(metrics.contains("digits_connections_refused_total 1"))
        }
    }

    @Test func idleKeepAliveConnectionsAreClosed() async throws {
        let server = try ServerFixture.server { $0.idleTimeout = .milliseconds(300) }
        try await withLiveServer(server) { port, _ in
            let connection = try RawHTTPConnection(port: port, receiveTimeout: 3)
            try connection.send(RawHTTPConnection.request("GET", "/healthz"))
            #expect(try connection.readResponse().status == 200)
            let start = Date()
            #expect(connection.readUntilClosed() == [])
            let waited = Date().timeIntervalSince(start)
            #expect(waited > 0.2 && waited < 2, "closed after \(waited) s")
        }
    }

    @Test func queuedWorkOfAClientThatLeftIsNotComputed() async throws {
        let gated = GatedRecognizer(base: ServerFixture.recognizer)
        let server = try ServerFixture.server(recognizer: gated) { $0.workers = 1; $0.maxInFlight = 4 }
        let seven = try TestImages.digit(7)
        try await withLiveServer(server) { port, _ in
            let staying = try RawHTTPConnection(port: port)
            try staying.send(RawHTTPConnection.request("POST", "/api/v1/predict", headers: ["Content-Type": "image/png"], body: seven))
            #expect(try await eventually { gated.enteredCount == 1 })
            // Admitted but queued behind the one worker, then the client hangs up.
            var leaving: RawHTTPConnection? = try RawHTTPConnection(port: port)
            try leaving?.send(RawHTTPConnection.request("POST", "/api/v1/predict", headers: ["Content-Type": "image/png"], body: seven))
            #expect(try await eventually { server.recognitionsInFlight == 2 })
            leaving?.disconnect()
            leaving = nil
            try await Task.sleep(for: .milliseconds(200))
            gated.open(2)
            let answer = try staying.readResponse()
            #expect(answer.status == 200)
            #expect(try await eventually { server.recognitionsInFlight == 0 })
            #expect(gated.computedCount == 1)
            #expect(gated.enteredCount == 1)
            try staying.send(RawHTTPConnection.request("GET", "/metrics"))
            let metrics = String(decoding: try staying.readResponse().body, as: UTF8.self)
            #expect(metrics.contains("digits_cancelled_client_gone_total 1"))
        }
    }

    @Test func shutdownDrainsInFlightRequests() async throws {
        let gated = GatedRecognizer(base: ServerFixture.recognizer)
        let server = try ServerFixture.server(recognizer: gated) { $0.workers = 1; $0.drainTimeout = .seconds(5) }
        let seven = try TestImages.digit(7)
        try await withLiveServer(server) { port, group in
            let connection = try RawHTTPConnection(port: port)
            try connection.send(RawHTTPConnection.request("POST", "/api/v1/predict", headers: ["Content-Type": "image/png"], body: seven))
            #expect(try await eventually { gated.enteredCount == 1 })
            await group.triggerGracefulShutdown()
            #expect(try await eventually { server.state.isDraining })
            #expect(!server.state.isReady)
            // The listener closes: new connections are refused.
            #expect(try await eventually { (try? RawHTTPConnection(port: port)) == nil })
            gated.open()
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self).contains(#""digit":7"#))
        }
    }
}

extension RawHTTPConnection {
    /// Closes `connection` to free a slot, then GETs /metrics on a new one.
    static func fetchMetricsWhenSlotFrees(port: Int, closing connection: RawHTTPConnection) throws -> String {
        connection.disconnect()
        for _ in 0..<50 {
            usleep(20_000)
            guard let probe = try? RawHTTPConnection(port: port, receiveTimeout: 2) else { continue }
            try? probe.send(request("GET", "/metrics"))
            if let response = try? probe.readResponse() { return String(decoding: response.body, as: UTF8.self) }
        }
        throw Failure(description: "no connection slot freed up")
    }
}
