import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The server over HTTP/1.1: one persistent connection per worker. Scenarios follow the project report's Locust
/// test: POST a PNG to /api/v1/predict, optionally with page views (GET /) mixed in.
public struct HTTPTarget: LoadTarget {
    public enum Scenario: String, Sendable, CaseIterable {
        /// Every request is a predict.
        case predict
        /// One page view per ten predicts (Locust task weights 1 : 10).
        case pageAndPredict = "page-and-predict"
    }

    public struct URLError: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public let host: String
    public let port: Int
    public let scenario: Scenario
    /// PNG bodies, used in turn.
    public let images: [[UInt8]]
    /// Seconds to wait for each response before counting the request as failed.
    public let timeout: Double
    private let group: MultiThreadedEventLoopGroup

    /// `url` is `http://HOST[:PORT]` (a path, query or https is refused).
    public init(url: String, scenario: Scenario, images: [[UInt8]], timeout: Double = 30,
                group: MultiThreadedEventLoopGroup = .singleton) throws(URLError) {
        guard let parsed = URL(string: url), parsed.scheme?.lowercased() == "http", let host = parsed.host, !host.isEmpty else {
            throw URLError(description: "--url \(url): expected http://HOST:PORT (plain HTTP)")
        }
        guard parsed.path.isEmpty || parsed.path == "/", parsed.query == nil else {
            throw URLError(description: "--url \(url): give the server's root (http://HOST:PORT); the scenario chooses the paths")
        }
        let port = parsed.port ?? 80
        guard (1...65_535).contains(port) else { throw URLError(description: "--url \(url): port must be 1…65535") }
        guard !images.isEmpty else { throw URLError(description: "no images to send") }
        self.host = host
        self.port = port
        self.scenario = scenario
        self.images = images
        self.timeout = timeout
        self.group = group
    }

    public var description: String { "http://\(host):\(port) (\(scenario.rawValue), \(images.count) PNG digits)" }

    public static let pagePath = "/"
    public static let predictPath = "/api/v1/predict"

    private func isPageView(_ index: Int) -> Bool { scenario == .pageAndPredict && index % 11 == 10 }

    public func name(of index: Int) -> String { isPageView(index) ? "GET \(Self.pagePath)" : "POST \(Self.predictPath)" }

    public func makeSession(worker: Int) async throws -> HTTPConnection {
        HTTPConnection(host: host, port: port, timeout: timeout, group: group)
    }

    public func send(_ index: Int, on connection: inout HTTPConnection) async throws {
        let request: HTTPRequestSpec
        if isPageView(index) {
            request = HTTPRequestSpec(method: .GET, path: Self.pagePath)
        } else {
            request = HTTPRequestSpec(method: .POST, path: Self.predictPath, contentType: "image/png",
                                      body: ByteBuffer(bytes: images[index % images.count]))
        }
        let response = try await connection.send(request)
        guard (200..<300).contains(response.status.code) else {
            throw LoadFailure("HTTP \(response.status.code) \(response.status.reasonPhrase)")
        }
    }

    public func closeSession(_ connection: inout HTTPConnection) async {
        await connection.close()
    }
}
