import Logging
import ServiceLifecycle
import Synchronization

/// Ready once the model is loaded and warmed; draining from the first shutdown signal on.
public final class ServerState: Sendable {
    private let ready = Atomic<Bool>(false)
    private let draining = Atomic<Bool>(false)
    private let listening = Atomic<Bool>(false)

    public init() {}

    public var isReady: Bool { ready.load(ordering: .relaxed) && !isDraining }
    public var isDraining: Bool { draining.load(ordering: .relaxed) }
    public func markReady() { ready.store(true, ordering: .relaxed) }
    public func beginDraining() { draining.store(true, ordering: .relaxed) }
    /// True once the listener is bound: a shutdown before that is a failed start, not a drain.
    public var isListening: Bool { listening.load(ordering: .relaxed) }
    public func markListening() { listening.store(true, ordering: .relaxed) }
}

/// Runs until graceful shutdown; its only job is to flip /readyz to 503 the moment shutdown begins. Placed
/// after the HTTP server in the service group, so it is told first (services stop in reverse order).
struct DrainSignalService: Service {
    let state: ServerState
    let logger: Logger
    let inFlight: @Sendable () -> Int

    func run() async throws {
        // Returns when shutdown begins (or throws CancellationError if the group is cancelled first).
        try? await gracefulShutdown()
        state.beginDraining()
        guard state.isListening else { return }
        logger.notice("shutting down: draining \(inFlight()) request(s) in flight")
    }
}
