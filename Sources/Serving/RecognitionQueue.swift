import NIOPosix
import Synchronization

/// Admission control and execution for recognition, which is CPU work. At most `maxInFlight` requests are
/// admitted (waiting for a worker or running); the rest are refused at once with 503, so there is never an
/// unbounded queue. With `workers > 0` the work runs on that many dedicated threads, off the event loops and
/// the Swift concurrency pool; with 0 it runs inline on the request's task.
final class RecognitionQueue: Sendable {
    let maxInFlight: Int
    let retryAfterSeconds: Int
    private let pool: NIOThreadPool?
    private let inFlight = Atomic<Int>(0)
    private let metrics: ServerMetrics

    init(maxInFlight: Int, workers: Int, retryAfterSeconds: Int, metrics: ServerMetrics) {
        self.maxInFlight = max(1, maxInFlight)
        self.retryAfterSeconds = retryAfterSeconds
        self.metrics = metrics
        if workers > 0 {
            let pool = NIOThreadPool(numberOfThreads: workers)
            pool.start()
            self.pool = pool
        } else {
            pool = nil
        }
    }

    var current: Int { inFlight.load(ordering: .relaxed) }

    /// Runs `work` unless the server is saturated (503) or the client has left before a worker got to it.
    func run<T: Sendable>(for connection: ConnectionState?, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = inFlight.wrappingAdd(1, ordering: .relaxed).newValue
        guard admitted <= maxInFlight else {
            inFlight.wrappingSubtract(1, ordering: .relaxed)
            metrics.rejectedOverload()
            throw APIError(.overloaded, "server busy: \(maxInFlight) recognitions already in flight; retry after \(retryAfterSeconds) s",
                           headers: [.retryAfter: String(retryAfterSeconds)])
        }
        metrics.inFlightChanged(to: admitted)
        defer {
            let remaining = inFlight.wrappingSubtract(1, ordering: .relaxed).newValue
            metrics.inFlightChanged(to: remaining)
        }
        let metrics = self.metrics
        let guarded: @Sendable () throws -> T = {
            if let connection, connection.isGone {
                metrics.cancelledClientGone()
                throw ClientGone()
            }
            return try work()
        }
        guard let pool else { return try guarded() }
        return try await pool.runIfActive(guarded)
    }

    func shutdown() async {
        try? await pool?.shutdownGracefully()
    }
}

/// The client closed its connection before its request was computed; nobody is left to answer.
struct ClientGone: Error {}
