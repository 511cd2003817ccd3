import NIOCore
import NIOHTTP1
import NIOPosix

/// One request to send: method, path, optional typed body.
public struct HTTPRequestSpec: Sendable {
    public var method: HTTPMethod
    public var path: String
    public var contentType: String?
    public var body: ByteBuffer?

    public init(method: HTTPMethod, path: String, contentType: String? = nil, body: ByteBuffer? = nil) {
        self.method = method
        self.path = path
        self.contentType = contentType
        self.body = body
    }
}

public struct HTTPResponseData: Sendable {
    public var status: HTTPResponseStatus
    public var body: ByteBuffer
    /// False when the server said it closes the connection (`Connection: close`, or HTTP/1.0 without keep-alive).
    public var keepAlive: Bool
}

/// A persistent HTTP/1.1 connection used by one worker at a time, one request in flight. Reconnects on the next
/// request when the server closed it.
public final class HTTPConnection {
    public let host: String
    public let port: Int
    /// Seconds to wait for a response.
    public let timeout: Double
    private let group: any EventLoopGroup
    private var channel: (any Channel)?

    public init(host: String, port: Int, timeout: Double = 30, group: any EventLoopGroup) {
        self.host = host
        self.port = port
        self.timeout = timeout
        self.group = group
    }

    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        let channel = try await connectedChannel()
        let promise = channel.eventLoop.makePromise(of: HTTPResponseData.self)
        // If the write never reaches the handler (channel already closing), fail the exchange here; completing a
        // promise twice is ignored, so a handler that already holds it may fail it too.
        channel.writeAndFlush(HTTPExchange(request: request, response: promise)).whenFailure { promise.fail($0) }
        // A server that never answers must not hang the run: fail the request and drop the connection.
        let seconds = timeout
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
            promise.fail(LoadFailure("no response within \(LoadTestReport.number(seconds)) s"))
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        let response: HTTPResponseData
        do {
            response = try await promise.futureResult.get()
        } catch {
            // The connection's state is unknown after a failed exchange: the next request gets a new one.
            self.channel = nil
            try? await channel.close()
            throw error
        }
        if !response.keepAlive {
            // Reconnect for the next request rather than racing the server's close.
            self.channel = nil
            try? await channel.close()
        }
        return response
    }

    public func close() async {
        if let channel { try? await channel.close() }
        channel = nil
    }

    private func connectedChannel() async throws -> any Channel {
        if let channel, channel.isActive { return channel }
        let host = self.host
        let hostHeader = port == 80 ? host : "\(host):\(port)"
        do {
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(HTTPExchangeHandler(host: hostHeader))
                    }
                }
                .connect(host: host, port: port).get()
            self.channel = channel
            return channel
        } catch {
            throw LoadFailure("cannot connect to \(host):\(port): \(error)")
        }
    }
}

struct HTTPExchange: Sendable {
    var request: HTTPRequestSpec
    var response: EventLoopPromise<HTTPResponseData>
}

/// Turns an `HTTPExchange` into request parts and completes its promise with the response.
final class HTTPExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPExchange
    typealias OutboundOut = HTTPClientRequestPart

    private let host: String
    private var pending: [EventLoopPromise<HTTPResponseData>] = []
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?

    init(host: String) { self.host = host }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        pending.append(exchange.response)
        let request = exchange.request
        var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.path)
        head.headers.add(name: "Host", value: host)
        if let contentType = request.contentType { head.headers.add(name: "Content-Type", value: contentType) }
        head.headers.add(name: "Content-Length", value: "\(request.body?.readableBytes ?? 0)")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body = request.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
        case .body(var part):
            if body == nil { body = part } else { body?.writeBuffer(&part) }
        case .end:
            guard let head, !pending.isEmpty else { return }
            let promise = pending.removeFirst()
            promise.succeed(HTTPResponseData(status: head.status, body: body ?? ByteBuffer(), keepAlive: head.isKeepAlive))
            self.head = nil
            body = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(LoadFailure("connection closed by the server"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(LoadFailure("connection error: \(error)"))
        context.close(promise: nil)
    }

    private func failAll(_ error: LoadFailure) {
        let promises = pending
        pending.removeAll()
        for promise in promises { promise.fail(error) }
    }
}
