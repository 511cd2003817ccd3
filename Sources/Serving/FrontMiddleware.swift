import Dispatch
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Wraps every route (and the not-found responder): gives the request an id, turns every error into the
/// API's JSON error body, adds security headers, records metrics and writes the one log line per request.
struct FrontMiddleware: RouterMiddleware {
    typealias Context = ServingContext

    let metrics: ServerMetrics
    let logger: Logger
    let ids = RequestIDs()

    func handle(_ request: Request, context: ServingContext,
                next: (Request, ServingContext) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var context = context
        context.requestID = ids.id(from: request.headers[.xRequestID])
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = Self.errorResponse(error, requestID: context.requestID)
            if error.code == .payloadTooLarge {
                metrics.rejectedBodyTooLarge()
                // Don't make the client send (and us drain) the rest of a body we refused. Closing right after the
                // response could reset the connection before the client reads it (unread request bytes turn a
                // close into an RST), so the connection lingers briefly, then closes whatever the client does.
                response.headers[.connection] = "close"
                let channel = context.channel
                channel.eventLoop.scheduleTask(in: Self.lingerAfterRefusal) { channel.close(promise: nil) }
            }
        } catch let error as any HTTPResponseError {
            let apiError = error.status == .notFound
                ? APIError(.notFound, "no such route: \(request.method) \(request.uri.path)")
                : APIError(.badRequest, "bad request: \(error.status)")
            response = Self.errorResponse(apiError, requestID: context.requestID)
        } catch is ClientGone {
            // Nobody reads this; the status is for the log and metrics (nginx's "client closed request").
            response = Response(status: .init(code: 499, reasonPhrase: "Client Closed Request"))
        } catch {
            logger.error("internal error: \(error)", metadata: ["request_id": .string(context.requestID)])
            response = Self.errorResponse(APIError(.internalError, "internal error (request \(context.requestID))"),
                                          requestID: context.requestID)
        }
        response.headers[.xRequestID] = context.requestID
        response.headers[.xContentTypeOptions] = "nosniff"
        let nanoseconds = Int64(DispatchTime.now().uptimeNanoseconds - start)
        // Unmatched paths share one label so scanners can't blow up the metrics' cardinality.
        let matched = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 }
        let route = response.status == .notFound && (matched == nil || matched == APIRoutes.asset.path) ? "unmatched" : matched ?? "unmatched"
        metrics.recordRequest(route: route, status: response.status.code, nanoseconds: nanoseconds)
        logger.info("\(request.method) \(request.uri.path) \(response.status.code) \(Self.milliseconds(nanoseconds)) ms",
                    metadata: ["request_id": .string(context.requestID)])
        return response
    }

    static let lingerAfterRefusal = TimeAmount.seconds(2)

    static func errorResponse(_ error: APIError, requestID: String) -> Response {
        var headers = error.headers
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: error.code.status, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: ResponseBodies.error(error, requestID: requestID))))
    }

    private static func milliseconds(_ nanoseconds: Int64) -> String {
        let hundredths = (nanoseconds + 5_000) / 10_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// Request ids: the client's X-Request-ID when it is a sane token, otherwise a process-unique one.
final class RequestIDs: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init() {
        let random = UInt32.random(in: 0...UInt32.max)
        let hex = String(random, radix: 16)
        prefix = String(repeating: "0", count: 8 - hex.count) + hex
    }

    func id(from header: String?) -> String {
        if let header, Self.isAcceptable(header) { return header }
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return "\(prefix)-\(n)"
    }

    /// Echoing arbitrary header text into logs and JSON invites log injection; accept short visible tokens.
    static func isAcceptable(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= 128 else { return false }
        return utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }
}

extension HTTPField.Name {
    static let xRequestID = HTTPField.Name("X-Request-ID")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
