import NIOCore
import Synchronization

/// Whether a connection's client is still there. Set from the event loop, read by the worker about to run
/// the connection's request, so that work for a client that went away is skipped.
final class ConnectionState: Sendable {
    private let gone = Atomic<Bool>(false)
    var isGone: Bool { gone.load(ordering: .relaxed) }
    func markGone() { gone.store(true, ordering: .relaxed) }
}

/// Open connections: enforces the cap and lets a request find its connection's state.
final class ConnectionRegistry: Sendable {
    let maxConnections: Int
    private let open = Mutex<[ObjectIdentifier: ConnectionState]>([:])

    init(maxConnections: Int) { self.maxConnections = maxConnections }

    var count: Int { open.withLock { $0.count } }

    /// A state for a newly accepted connection, or nil when the cap is reached.
    func admit(_ channel: any Channel) -> ConnectionState? {
        open.withLock { open in
            guard open.count < maxConnections else { return nil }
            let state = ConnectionState()
            open[ObjectIdentifier(channel)] = state
            return state
        }
    }

    func remove(_ channel: any Channel) {
        _ = open.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func state(of channel: any Channel) -> ConnectionState? {
        open.withLock { $0[ObjectIdentifier(channel)] }
    }
}

/// First handler after the HTTP codec on every connection: closes connections over the cap right away
/// (rather than letting them wait in the accept backlog) and notices when the client goes away.
final class ConnectionGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let registry: ConnectionRegistry
    private let metrics: ServerMetrics
    private var state: ConnectionState?
    private var activated = false

    init(registry: ConnectionRegistry, metrics: ServerMetrics) {
        self.registry = registry
        self.metrics = metrics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { activate(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        activate(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state?.markGone()
        registry.remove(context.channel)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // HTTP clients never half-close while waiting for an answer: end of input means they left.
        if let event = event as? ChannelEvent, event == .inputClosed { state?.markGone() }
        context.fireUserInboundEventTriggered(event)
    }

    private func activate(_ context: ChannelHandlerContext) {
        guard !activated else { return }
        activated = true
        if let state = registry.admit(context.channel) {
            self.state = state
        } else {
            metrics.refusedConnection()
            context.close(promise: nil)
        }
    }
}
