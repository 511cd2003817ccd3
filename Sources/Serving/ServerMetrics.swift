import CoreMetrics
import Prometheus
import Synchronization

// Prometheus has its own Counter and Gauge; the server talks swift-metrics.
private typealias Counter = CoreMetrics.Counter
private typealias Timer = CoreMetrics.Timer
private typealias Meter = CoreMetrics.Meter

/// The server's Prometheus metrics, kept in their own registry (not the process-wide MetricsSystem) so that
/// several servers, e.g. in tests, never share counters.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let inFlightMeter: Meter
    private let overloaded: Counter
    private let bodyTooLarge: Counter
    private let connectionsRefused: Counter
    private let cancelled: Counter
    /// swift-metrics handles are cheap to use but not to create (a registry lookup under a lock); one per
    /// (route, status) is made on first use and kept.
    private let requestCounters = Mutex<[String: Counter]>([:])
    private let latencyTimers = Mutex<[String: Timer]>([:])

    static let latencyLabel = "digits_http_request_duration_seconds"

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.latencyLabel] = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ]
        self.factory = factory
        inFlightMeter = Meter(label: "digits_in_flight_requests", factory: factory)
        overloaded = Counter(label: "digits_rejected_overload_total", factory: factory)
        bodyTooLarge = Counter(label: "digits_body_too_large_total", factory: factory)
        connectionsRefused = Counter(label: "digits_connections_refused_total", factory: factory)
        cancelled = Counter(label: "digits_cancelled_client_gone_total", factory: factory)
        inFlightMeter.set(0)
        overloaded.increment(by: 0)
        bodyTooLarge.increment(by: 0)
        connectionsRefused.increment(by: 0)
        cancelled.increment(by: 0)
    }

    func recordRequest(route: String, status: Int, nanoseconds: Int64) {
        let key = "\(route) \(status)"
        let counter = requestCounters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: "digits_http_requests_total",
                                  dimensions: [("route", route), ("status", String(status))], factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
        let timer = latencyTimers.withLock { timers in
            if let timer = timers[route] { return timer }
            let timer = Timer(label: Self.latencyLabel, dimensions: [("route", route)], factory: factory)
            timers[route] = timer
            return timer
        }
        timer.recordNanoseconds(nanoseconds)
    }

    func inFlightChanged(to value: Int) { inFlightMeter.set(value) }
    func rejectedOverload() { overloaded.increment() }
    func rejectedBodyTooLarge() { bodyTooLarge.increment() }
    func refusedConnection() { connectionsRefused.increment() }
    func cancelledClientGone() { cancelled.increment() }

    /// The Prometheus text exposition format.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}
