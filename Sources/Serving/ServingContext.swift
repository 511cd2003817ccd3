import Hummingbird
import NIOCore

/// Per-request context: Hummingbird's core storage plus the connection (to notice a client leaving) and
/// the request id every response and log line carries.
public struct ServingContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    public var requestID: String = ""

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
