import LoadTesting
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

/// A tiny HTTP/1.1 server speaking the API contract: POST /api/v1/predict with image/png → 200 JSON (every 5th
/// → 503 JSON), GET / → 200 HTML, anything else 404. Counts connections and requests.
final class TestServer: Sendable {
    private let channel: any Channel

    var port: Int { channel.localAddress?.port ?? 0 }

    /// `closing`: every response says `Connection: close` and the server closes the connection after it.
    init(closing: Bool = false) async throws {
        let counters = Counters()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .childChannelInitializer { channel in
                counters.connections.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(TestHandler(counters: counters, closing: closing))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.channel = channel
        self.counters = counters
    }

    private let counters: Counters
    var connectionCount: Int { counters.connections.load(ordering: .relaxed) }
    var predictCount: Int { counters.predicts.load(ordering: .relaxed) }
    var pageCount: Int { counters.pages.load(ordering: .relaxed) }

    func close() async { try? await channel.close() }

    final class Counters: Sendable {
        let connections = Atomic<Int>(0)
        let predicts = Atomic<Int>(0)
        let pages = Atomic<Int>(0)
    }

    final class TestHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let counters: Counters
        let closing: Bool
        private var head: HTTPRequestHead?
        private var bodyBytes = 0

        init(counters: Counters, closing: Bool) {
            self.counters = counters
            self.closing = closing
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                bodyBytes = 0
            case .body(let part):
                bodyBytes += part.readableBytes
            case .end:
                guard let head else { return }
                let (status, type, body) = respond(head)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: type)
                headers.add(name: "Content-Length", value: "\(body.utf8.count)")
                if closing { headers.add(name: "Connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
                let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
                if closing {
                    let channel = context.channel
                    done.whenComplete { _ in channel.close(promise: nil) }
                }
            }
        }

        private func respond(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String, String) {
            switch (head.method, head.uri) {
            case (.GET, "/"):
                counters.pages.add(1, ordering: .relaxed)
                return (.ok, "text/html", "<!DOCTYPE html><title>Digits</title>")
            case (.POST, "/api/v1/predict") where head.headers["Content-Type"].first == "image/png" && bodyBytes > 8:
                let n = counters.predicts.add(1, ordering: .relaxed).newValue
                if n % 5 == 0 {
                    return (.serviceUnavailable, "application/json", #"{"error":"overloaded","message":"busy","request_id":"x"}"#)
                }
                return (.ok, "application/json", #"{"digit":7,"confidence":0.99}"#)
            default:
                return (.notFound, "application/json", #"{"error":"not_found","message":"no route","request_id":"x"}"#)
            }
        }
    }
}

@Suite("HTTP target against an in-test NIO server")
struct HTTPTargetTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 32)

    @Test("page-and-predict over one persistent connection per worker; non-2xx counted by status")
    func pageAndPredict() async throws {
        let server = try await TestServer()
        let target = try HTTPTarget(url: "http://127.0.0.1:\(server.port)", scenario: .pageAndPredict, images: [Self.png])
        let result = try await LoadTester(target: target, configuration: LoadTestConfiguration(concurrency: 2, duration: 1)).run()
        let served = server.predictCount + server.pageCount
        await server.close()
        #expect(server.connectionCount == 2)
        #expect(result.rows.map(\.name).sorted() == ["GET /", "POST /api/v1/predict"])
        let predicts = try #require(result.rows.first { $0.name == "POST /api/v1/predict" })
        let pages = try #require(result.rows.first { $0.name == "GET /" })
        #expect(predicts.requests >= 10)
        // One page view per ten predicts (give or take the requests in flight at either end).
        #expect(abs(pages.requests * 10 - predicts.requests) <= 20)
        #expect(pages.failures == 0)
        #expect(result.failures.map(\.reason) == ["HTTP 503 Service Unavailable"])
        #expect(result.failures.map(\.name) == ["POST /api/v1/predict"])
        #expect(abs(predicts.failures * 5 - predicts.requests) <= 10)
        #expect(result.aggregate.requests <= served)
    }

    @Test("open loop over HTTP achieves its rate")
    func openLoop() async throws {
        let server = try await TestServer()
        let target = try HTTPTarget(url: "http://127.0.0.1:\(server.port)/", scenario: .predict, images: [Self.png])
        let result = try await LoadTester(target: target,
                                          configuration: LoadTestConfiguration(concurrency: 2, rate: 200, duration: 0.5)).run()
        await server.close()
        #expect(result.aggregate.requests == 100)
        #expect(result.failures.map(\.occurrences) == [20])
    }

    @Test("a server that closes after each response: the client reconnects, no request fails for it")
    func connectionClose() async throws {
        let server = try await TestServer(closing: true)
        let target = try HTTPTarget(url: "http://127.0.0.1:\(server.port)", scenario: .pageAndPredict, images: [Self.png])
        let result = try await LoadTester(target: target, configuration: LoadTestConfiguration(concurrency: 2, duration: 0.3)).run()
        await server.close()
        #expect(result.aggregate.requests >= 3)
        #expect(Set(result.failures.map(\.reason)) == ["HTTP 503 Service Unavailable"])
        #expect(server.connectionCount >= result.aggregate.requests)
    }

    @Test("a refused connection is a failure with the address, not a crash")
    func refused() async throws {
        let server = try await TestServer()
        let port = server.port
        await server.close()
        let target = try HTTPTarget(url: "http://127.0.0.1:\(port)", scenario: .predict, images: [Self.png])
        let result = try await LoadTester(target: target, configuration: LoadTestConfiguration(concurrency: 1, duration: 0.2)).run()
        #expect(result.aggregate.requests > 0)
        #expect(result.aggregate.failures == result.aggregate.requests)
        #expect(result.failures.first?.reason.hasPrefix("cannot connect to 127.0.0.1:\(port): ") == true)
    }

    @Test("a server that never answers: requests time out as failures and the run ends")
    func silentServer() async throws {
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = silent.localAddress?.port ?? 0
        let target = try HTTPTarget(url: "http://127.0.0.1:\(port)", scenario: .predict, images: [Self.png], timeout: 0.1)
        let result = try await LoadTester(target: target, configuration: LoadTestConfiguration(concurrency: 1, duration: 0.25)).run()
        try? await silent.close()
        #expect(result.aggregate.requests >= 1)
        #expect(result.failures.map(\.reason) == ["no response within 0.1 s"])
        #expect(result.aggregate.latency.min >= 100)
    }

    @Test("bad URLs are one clear line")
    func badURLs() {
        #expect(throws: HTTPTarget.URLError(description: "--url https://x:1: expected http://HOST:PORT (plain HTTP)")) {
            _ = try HTTPTarget(url: "https://x:1", scenario: .predict, images: [Self.png])
        }
        #expect(throws: HTTPTarget.URLError(description: "--url http://x:1/api: give the server's root (http://HOST:PORT); the scenario chooses the paths")) {
            _ = try HTTPTarget(url: "http://x:1/api", scenario: .predict, images: [Self.png])
        }
    }
}
