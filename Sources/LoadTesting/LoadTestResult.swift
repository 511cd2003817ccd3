/// Everything a finished load test measured; what the text report, the JSON and the chart are made from.
public struct LoadTestResult: Sendable, Equatable, Codable {
    /// One report row: the requests of one name (or all of them, "Aggregated").
    public struct Row: Sendable, Equatable, Codable {
        public var name: String
        public var requests: Int
        public var failures: Int
        /// From the intended send time (open loop) or the send (closed loop).
        public var latency: LatencySummary
        /// From the actual send; differs from `latency` only in an open loop.
        public var serviceTime: LatencySummary

        public init(name: String, requests: Int, failures: Int, latency: LatencySummary, serviceTime: LatencySummary) {
            self.name = name
            self.requests = requests
            self.failures = failures
            self.latency = latency
            self.serviceTime = serviceTime
        }
    }

    public struct FailureCount: Sendable, Equatable, Codable {
        public var name: String
        public var reason: String
        public var occurrences: Int
        public init(name: String, reason: String, occurrences: Int) {
            self.name = name
            self.reason = reason
            self.occurrences = occurrences
        }
    }

    /// One second of the measured window (by completion time).
    public struct Second: Sendable, Equatable, Codable {
        public var second: Int
        public var requests: Int
        public var failures: Int
        /// Milliseconds; 0 in a second without completions.
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public init(second: Int, requests: Int, failures: Int, p50: Double, p90: Double, p99: Double) {
            self.second = second
            self.requests = requests
            self.failures = failures
            self.p50 = p50
            self.p90 = p90
            self.p99 = p99
        }
    }

    public var target: String
    public var configuration: LoadTestConfiguration
    /// Rows by name in first-seen order, without the aggregate.
    public var rows: [Row]
    public var aggregate: Row
    /// Most frequent first.
    public var failures: [FailureCount]
    /// Seconds from the start of the measured window to the last measured completion (≥ the duration when
    /// requests were still running at its end).
    public var elapsed: Double
    public var timeline: [Second]

    public init(target: String, configuration: LoadTestConfiguration, rows: [Row], aggregate: Row,
                failures: [FailureCount], elapsed: Double, timeline: [Second]) {
        self.target = target
        self.configuration = configuration
        self.rows = rows
        self.aggregate = aggregate
        self.failures = failures
        self.elapsed = elapsed
        self.timeline = timeline
    }

    /// Completed requests per second over the measured window.
    public var requestsPerSecond: Double { Double(aggregate.requests) / max(configuration.duration, 1e-9) }
    public var failuresPerSecond: Double { Double(aggregate.failures) / max(configuration.duration, 1e-9) }
}
