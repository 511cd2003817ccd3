import Synchronization

/// Collects every completed request of a run from all workers: per-name and per-second histograms, failure
/// reasons, and a running count for the progress line. Times are nanoseconds since the run started.
final class LoadRecorder: Sendable {
    private struct Stats {
        var requests = 0
        var failures = 0
        var latency = LatencyHistogram()
        var service = LatencyHistogram()

        mutating func record(latency: UInt64, service: UInt64, failed: Bool) {
            requests += 1
            if failed { failures += 1 }
            self.latency.record(nanoseconds: latency)
            self.service.record(nanoseconds: service)
        }
    }

    private struct SecondStats {
        var requests = 0
        var failures = 0
        var latency = LatencyHistogram(significantDigits: .two)
    }

    private struct FailureKey: Hashable {
        var name: String
        var reason: String
    }

    private struct State {
        var names: [String] = []
        var stats: [String: Stats] = [:]
        var aggregate = Stats()
        var failures: [FailureKey: Int] = [:]
        var failureOrder: [FailureKey] = []
        var seconds: [SecondStats] = []
        var lastCompletion: UInt64 = 0
        /// Every completion including the warm-up, by second since the start: the progress line's current rate.
        var completionsBySecond: [Int] = []
        var measuredFailures = 0
    }

    private let state = Mutex(State())
    /// Start of the measured window, nanoseconds since the run started.
    let windowStart: UInt64

    init(windowStart: UInt64) { self.windowStart = windowStart }

    /// `measured` is false for warm-up requests, which only count towards the progress line's rate.
    func record(name: String, intended: UInt64, sent: UInt64, completed: UInt64, failure: String?, measured: Bool) {
        let latency = completed &- min(intended, completed)
        let service = completed &- min(sent, completed)
        state.withLock { s in
            let runSecond = Int(completed / 1_000_000_000)
            if s.completionsBySecond.count <= runSecond {
                s.completionsBySecond.append(contentsOf: repeatElement(0, count: runSecond + 1 - s.completionsBySecond.count))
            }
            s.completionsBySecond[runSecond] += 1
            guard measured else { return }
            if s.stats[name] == nil {
                s.names.append(name)
                s.stats[name] = Stats()
            }
            s.stats[name]?.record(latency: latency, service: service, failed: failure != nil)
            s.aggregate.record(latency: latency, service: service, failed: failure != nil)
            if let failure {
                s.measuredFailures += 1
                let key = FailureKey(name: name, reason: failure)
                if s.failures[key] == nil { s.failureOrder.append(key) }
                s.failures[key, default: 0] += 1
            }
            let second = Int((completed &- min(windowStart, completed)) / 1_000_000_000)
            if s.seconds.count <= second {
                s.seconds.append(contentsOf: repeatElement(SecondStats(), count: second + 1 - s.seconds.count))
            }
            s.seconds[second].requests += 1
            if failure != nil { s.seconds[second].failures += 1 }
            s.seconds[second].latency.record(nanoseconds: latency)
            s.lastCompletion = max(s.lastCompletion, completed)
        }
    }

    /// A request that was due in the measured window but never sent (open loop, target far behind schedule).
    func recordNotSent(name: String, reason: String) {
        state.withLock { s in
            if s.stats[name] == nil {
                s.names.append(name)
                s.stats[name] = Stats()
            }
            s.stats[name]?.requests += 1
            s.stats[name]?.failures += 1
            s.aggregate.requests += 1
            s.aggregate.failures += 1
            s.measuredFailures += 1
            let key = FailureKey(name: name, reason: reason)
            if s.failures[key] == nil { s.failureOrder.append(key) }
            s.failures[key, default: 0] += 1
        }
    }

    /// For the progress line: measured requests and failures, completions in the last whole second before `now`
    /// (the average so far during the first second), and the measured p99 in milliseconds.
    func progress(now: UInt64) -> (requests: Int, failures: Int, currentRate: Int, p99: Double) {
        state.withLock { s in
            let second = Int(now / 1_000_000_000) - 1
            let rate: Int
            if second >= 0 {
                rate = second < s.completionsBySecond.count ? s.completionsBySecond[second] : 0
            } else {
                // Within the first second: the rate so far.
                rate = Int(Double(s.completionsBySecond.reduce(0, +)) / max(Double(now) / 1e9, 1e-3))
            }
            return (s.aggregate.requests, s.measuredFailures, rate, Double(s.aggregate.latency.value(at: 99)) / 1e6)
        }
    }

    func result(target: String, configuration: LoadTestConfiguration) -> LoadTestResult {
        state.withLock { s in
            func row(_ name: String, _ stats: Stats) -> LoadTestResult.Row {
                .init(name: name, requests: stats.requests, failures: stats.failures,
                      latency: stats.latency.summary(), serviceTime: stats.service.summary())
            }
            let failures = s.failureOrder.enumerated()
                .sorted { (s.failures[$0.element] ?? 0, -$0.offset) > (s.failures[$1.element] ?? 0, -$1.offset) }
                .map { LoadTestResult.FailureCount(name: $0.element.name, reason: $0.element.reason,
                                                   occurrences: s.failures[$0.element] ?? 0) }
            let timeline = s.seconds.enumerated().map { index, second in
                LoadTestResult.Second(second: index, requests: second.requests, failures: second.failures,
                                      p50: Double(second.latency.value(at: 50)) / 1e6,
                                      p90: Double(second.latency.value(at: 90)) / 1e6,
                                      p99: Double(second.latency.value(at: 99)) / 1e6)
            }
            let elapsed = max(configuration.duration, Double(s.lastCompletion &- min(windowStart, s.lastCompletion)) / 1e9)
            return LoadTestResult(target: target, configuration: configuration,
                                  rows: s.names.map { row($0, s.stats[$0] ?? Stats()) },
                                  aggregate: row("Aggregated", s.aggregate), failures: failures,
                                  elapsed: elapsed, timeline: timeline)
        }
    }
}
