/// How a load test runs. Closed loop (`rate == nil`): `concurrency` workers send back to back. Open loop: requests
/// are due at fixed intervals of `1 / rate` seconds and `concurrency` workers (the connection pool) take them in
/// order; latency counts from the due time, so a request that waited for a free worker shows the wait.
public struct LoadTestConfiguration: Sendable, Equatable, Codable {
    public var concurrency: Int
    /// Requests per second for an open loop; nil for a closed loop.
    public var rate: Double?
    /// Seconds measured, after the warm-up.
    public var duration: Double
    /// Seconds run first and left out of the results.
    public var warmup: Double
    /// Open loop only: how long after the end requests that are still due may start before they are counted as
    /// failures ("not sent").
    public var drainGrace: Double

    public init(concurrency: Int, rate: Double? = nil, duration: Double, warmup: Double = 0, drainGrace: Double = 2) {
        self.concurrency = concurrency
        self.rate = rate
        self.duration = duration
        self.warmup = warmup
        self.drainGrace = drainGrace
    }

    public var isOpenLoop: Bool { rate != nil }

    /// One line per problem, empty when the configuration can run.
    public var problems: [String] {
        var problems: [String] = []
        if concurrency < 1 || concurrency > 10_000 { problems.append("--concurrency must be 1…10000, got \(concurrency)") }
        // The timeline keeps a small histogram per second (about 36 KB): an hour is the longest run kept in memory.
        if !(duration > 0 && duration <= 3_600) { problems.append("--duration must be > 0 and ≤ 3600 seconds, got \(duration)") }
        if !(warmup >= 0 && warmup <= 3_600) { problems.append("--warmup must be 0…3600 seconds, got \(warmup)") }
        if let rate, !(rate > 0 && rate <= 10_000_000) { problems.append("--rate must be > 0 and ≤ 10000000 per second, got \(rate)") }
        return problems
    }
}
