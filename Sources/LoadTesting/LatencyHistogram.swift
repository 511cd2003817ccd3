import Histogram

/// Nanosecond latencies in an HdrHistogram (3 significant digits, up to an hour), with the summary a report needs.
public struct LatencyHistogram: Sendable {
    public private(set) var histogram: Histogram<UInt64>
    private var sum: Double = 0

    public static let highestTrackable: UInt64 = 3_600_000_000_000

    public init(significantDigits: SignificantDigits = .three) {
        histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: Self.highestTrackable,
                                      numberOfSignificantValueDigits: significantDigits)
    }

    public var count: Int { Int(histogram.totalCount) }

    public mutating func record(nanoseconds: UInt64) {
        let value = min(max(nanoseconds, 1), Self.highestTrackable)
        histogram.record(value)
        sum += Double(value)
    }

    /// Exact mean of what was recorded (the histogram's own mean rounds each value to its bucket).
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// Value at `percentile` (0…100) in nanoseconds; 0 when empty.
    public func value(at percentile: Double) -> UInt64 {
        count == 0 ? 0 : histogram.valueAtPercentile(percentile)
    }

    public var minimum: UInt64 { count == 0 ? 0 : histogram.min }
    public var maximum: UInt64 { count == 0 ? 0 : histogram.maxRecorded }

    public mutating func add(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
        sum += other.sum
    }

    /// Milliseconds summary at the given percentiles.
    public func summary(percentiles: [Double] = LatencySummary.reportPercentiles) -> LatencySummary {
        LatencySummary(count: count, mean: mean / 1e6, min: Double(minimum) / 1e6, max: Double(maximum) / 1e6,
                       percentiles: percentiles.map { LatencySummary.Point(percentile: $0, value: Double(value(at: $0)) / 1e6) })
    }
}

/// A latency distribution in milliseconds.
public struct LatencySummary: Sendable, Equatable, Codable {
    public struct Point: Sendable, Equatable, Codable {
        public var percentile: Double
        /// Milliseconds.
        public var value: Double
        public init(percentile: Double, value: Double) {
            self.percentile = percentile
            self.value = value
        }
    }

    /// Locust's columns.
    public static let reportPercentiles: [Double] = [50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100]

    public var count: Int
    public var mean: Double
    public var min: Double
    public var max: Double
    public var percentiles: [Point]

    public init(count: Int, mean: Double, min: Double, max: Double, percentiles: [Point]) {
        self.count = count
        self.mean = mean
        self.min = min
        self.max = max
        self.percentiles = percentiles
    }

    /// The value at `percentile` if it was summarized.
    public func value(at percentile: Double) -> Double? {
        percentiles.first { $0.percentile == percentile }?.value
    }

    public var median: Double { value(at: 50) ?? 0 }
}
