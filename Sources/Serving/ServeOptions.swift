import Foundation

/// Everything `digits serve` can tune. Defaults are the documented ones; tests shrink the limits.
public struct ServeOptions: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 asks the OS for a free port (tests).
    public var port: Int = 8080
    /// Largest request body accepted, in bytes (413 above it).
    public var maxBodyBytes: Int = 8 << 20
    /// Largest decoded image, width × height, read from the PNG header before decoding (422 above it).
    public var maxPixels: Int = 16_000_000
    /// Recognition requests admitted at once (queued for a worker or running); more get 503 + Retry-After.
    /// A request's work is ~0.3 ms, so 32 per core queue at most ~10 ms: enough to absorb bursts of
    /// simultaneous arrivals (2 × cores refused ~5 % of requests at 1,000 req/s) while still bounded.
    public var maxInFlight: Int = 32 * ProcessInfo.processInfo.activeProcessorCount
    /// Threads that run recognition, off the event loops.
    public var workers: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Open connections allowed at once; more are closed as soon as they are accepted.
    public var maxConnections: Int = 1024
    /// A keep-alive connection with nothing to read or write for this long is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// After SIGTERM/SIGINT, in-flight requests get this long to finish before the process exits anyway.
    public var drainTimeout: Duration = .seconds(10)
    /// Seconds a client is told to wait (Retry-After) when the server is overloaded.
    public var retryAfterSeconds: Int = 1

    public init() {}
}
