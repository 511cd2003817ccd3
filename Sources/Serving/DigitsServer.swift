import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Imaging
import Logging
import ModelIO
import NIOCore
import Recognition
import Runtime
import ServiceLifecycle
import UnixSignals

/// `digits serve`: the JSON API, the web page, health/readiness and metrics, with the hardening of
/// docs/api.md (body cap, in-flight bound, connection cap, idle timeout, graceful drain).
public struct DigitsServer: Sendable {
    public let options: ServeOptions
    public let recognizer: any DigitRecognizing
    public let metrics = ServerMetrics()
    public let state = ServerState()
    let logger: Logger
    let models: [ModelRegistry.Entry]
    let assets: StaticAssets
    let connections: ConnectionRegistry
    let queue: RecognitionQueue
    let openAPI: [UInt8]
    let modelsBody: [UInt8]

    /// - Parameters:
    ///   - models: listed by /api/v1/models (the served one is `recognizer.info.name`).
    public init(options: ServeOptions, recognizer: any DigitRecognizing, models: [ModelRegistry.Entry],
                logger: Logger, assets: StaticAssets? = nil) throws {
        self.options = options
        self.recognizer = recognizer
        self.logger = logger
        self.models = models
        self.assets = try assets ?? StaticAssets.bundled()
        connections = ConnectionRegistry(maxConnections: options.maxConnections)
        queue = RecognitionQueue(maxInFlight: options.maxInFlight, workers: options.workers,
                                 retryAfterSeconds: options.retryAfterSeconds, metrics: metrics)
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            throw StaticAssetsError(description: "Serving resources: openapi.json is missing from the bundle")
        }
        openAPI = Array(data)
        modelsBody = ResponseBodies.models(models, served: recognizer.info.name)
    }

    /// One prediction through the whole path (decode, preprocess, inference), so the first real request
    /// doesn't pay for page faults and pool growth; then /readyz says ready.
    public func warmUp() throws(RecognitionError) {
        let png = try Self.warmUpPNG()
        _ = try recognizer.predict(png: png, source: "warm-up")
        state.markReady()
    }

    /// A "7" in the bitmap font, dark on light like a scan.
    static func warmUpPNG() throws(RecognitionError) -> [UInt8] {
        let side = 40
        var pixels = [UInt8](repeating: 240, count: side * side)
        BitmapFont.render("7", scale: 4) { x, y in
            let px = x + 10, py = y + 6
            if px >= 0, px < side, py >= 0, py < side { pixels[py * side + px] = 20 }
        }
        do { return try PNGEncoder.encode(GrayImage(width: side, height: side, pixels: pixels)) }
        catch { throw RecognitionError(kind: .model, description: "warm-up image: \(error.description)") }
    }

    public func makeRouter() -> Router<ServingContext> {
        let router = Router(context: ServingContext.self)
        router.add(middleware: FrontMiddleware(metrics: metrics, logger: logger))
        let images = ImageEndpoints(recognizer: recognizer, queue: queue, connections: connections,
                                    maxBodyBytes: options.maxBodyBytes)
        let state = self.state, metrics = self.metrics, assets = self.assets
        let openAPI = self.openAPI, modelsBody = self.modelsBody

        router.post(RouterPath(APIRoutes.predict.path)) { request, context in try await images.predict(request, context) }
        router.post(RouterPath(APIRoutes.read.path)) { request, context in try await images.read(request, context) }
        router.get(RouterPath(APIRoutes.models.path)) { _, _ in ImageEndpoints.json(modelsBody) }
        router.get(RouterPath(APIRoutes.openAPI.path)) { _, _ in ImageEndpoints.json(openAPI) }
        router.get(RouterPath(APIRoutes.health.path)) { _, _ in ImageEndpoints.json(ResponseBodies.status("ok")) }
        router.get(RouterPath(APIRoutes.ready.path)) { _, _ in
            if state.isReady { return ImageEndpoints.json(ResponseBodies.status("ready")) }
            let status = state.isDraining ? "draining" : "starting"
            return ImageEndpoints.json(ResponseBodies.status(status), status: .serviceUnavailable)
        }
        router.get(RouterPath(APIRoutes.metrics.path)) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        router.get(RouterPath(APIRoutes.page.path)) { request, _ in try Self.asset(request, assets) }
        router.get(RouterPath(APIRoutes.asset.path)) { request, _ in try Self.asset(request, assets) }

        // Known paths answer other methods with 405 and Allow, not 404.
        let exact = APIRoutes.all.filter { !$0.path.contains("*") }
        for path in Set(exact.map(\.path)) {
            let allowed = exact.filter { $0.path == path }.map(\.method)
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in APIRoutes.otherMethods where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw APIError(.methodNotAllowed, "\(request.method) is not allowed on \(path); use \(allow)",
                                   headers: [.allow: allow])
                }
            }
        }
        return router
    }

    static let pageSecurityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        .xFrameOptions: "DENY",
        .referrerPolicy: "no-referrer",
    ]

    static func asset(_ request: Request, _ assets: StaticAssets) throws -> Response {
        guard let asset = assets.asset(at: request.uri.path) else {
            throw APIError(.notFound, "no such route or file: \(request.uri.path)")
        }
        var headers = pageSecurityHeaders
        headers[.eTag] = asset.etag
        // Not fingerprinted, so browsers revalidate every time (cheap: 304 on an unchanged ETag).
        headers[.cacheControl] = "no-cache"
        if request.headers[.ifNoneMatch] == asset.etag {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    /// The Hummingbird application, bound per `options`; `onListening` gets the actual port.
    public func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        let connections = self.connections, metrics = self.metrics
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuardHandler(registry: connections, metrics: metrics)],
            idleTimeout: TimeAmount.nanoseconds(Int64(options.idleTimeout.components.seconds) * 1_000_000_000
                + options.idleTimeout.components.attoseconds / 1_000_000_000))
        return Application(
            router: makeRouter(),
            server: .http1(configuration: http1),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "digits"),
            onServerRunning: { [state] channel in
                state.markListening()
                await onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
    }

    /// Serves until SIGTERM/SIGINT, then drains: /readyz turns 503, the listener closes, in-flight requests
    /// finish, and after `drainTimeout` whatever remains is cancelled.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = makeServiceGroup(signals: [.sigterm, .sigint], onListening: onListening)
        try await group.run()
        await queue.shutdown()
        if state.isListening { logger.notice("stopped") }
    }

    /// The service group `run` uses; tests trigger its graceful shutdown themselves.
    public func makeServiceGroup(signals: [UnixSignal],
                                 onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> ServiceGroup {
        let app = makeApplication(onListening: onListening)
        // Services shut down in reverse order: the drain flag flips before the listener closes.
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: DrainSignalService(state: state, logger: logger, inFlight: { [queue] in queue.current }))],
            gracefulShutdownSignals: signals, logger: logger)
        configuration.maximumGracefulShutdownDuration = options.drainTimeout
        configuration.maximumCancellationDuration = .seconds(1)
        return ServiceGroup(configuration: configuration)
    }

    /// Connections currently open (for tests and logs).
    public var openConnections: Int { connections.count }
}

extension DigitsServer {
    /// Recognitions admitted and not yet finished (waiting for a worker or running).
    public var recognitionsInFlight: Int { queue.current }
}
