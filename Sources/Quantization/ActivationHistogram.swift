/// Values seen by one tensor during calibration: exact min/max from the first pass, then a fixed-range histogram
/// (2048 bins over [min(lo, 0), max(hi, 0)]) from the second. Range searches run on the histogram.
public struct ActivationHistogram: Sendable {
    public static let defaultBins = 2048

    public private(set) var minimum: Float = .infinity
    public private(set) var maximum: Float = -.infinity
    public private(set) var lower: Float = 0
    public private(set) var upper: Float = 0
    public private(set) var counts: [Double] = []
    public private(set) var observed = 0

    public init() {}

    /// First pass: the range.
    public mutating func observeRange(_ values: some Collection<Float>) {
        for v in values {
            minimum = min(minimum, v)
            maximum = max(maximum, v)
        }
        observed += values.count
    }

    /// Fixes the histogram's range from the first pass (always containing 0).
    public mutating func startHistogram(bins: Int = defaultBins) {
        lower = observed == 0 ? 0 : min(minimum, 0)
        upper = observed == 0 ? 0 : max(maximum, 0)
        counts = [Double](repeating: 0, count: bins)
    }

    /// Second pass: counts. Values outside the first pass's range (none, when both passes see the same data) go to the edges.
    public mutating func observeHistogram(_ values: some Collection<Float>) {
        let width = upper - lower
        guard width > 0, !counts.isEmpty else { return }
        let bins = counts.count
        let perUnit = Float(bins) / width
        for v in values {
            let bin = Int(((v - lower) * perUnit).rounded(.down))
            counts[min(max(bin, 0), bins - 1)] += 1
        }
    }

    public var binWidth: Float { counts.isEmpty ? 0 : (upper - lower) / Float(counts.count) }
    public func center(_ bin: Int) -> Float { lower + (Float(bin) + 0.5) * binWidth }
    public var total: Double { counts.reduce(0, +) }
    public var isZeroRange: Bool { !(upper - lower > 0) || counts.isEmpty }
}
