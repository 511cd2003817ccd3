import Foundation
import Reference

/// How a tensor's clipping range is chosen from the values seen during calibration.
public enum CalibrationMethod: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The observed min and max.
    case minMax = "minmax"
    /// The 0.01 % and 99.99 % quantiles: ignores the rarest outliers.
    case percentile
    /// The range minimizing the histogram's quantization mean squared error (rounding + clipping).
    case mse
    /// The range minimizing the KL divergence between the clipped histogram and its quantized version (TensorRT style).
    case kl
    /// Per tensor, whichever of the above gives the best SQNR on the calibration histogram.
    case auto

    public var description: String { rawValue }

    /// The methods `auto` chooses between, in tie-break order.
    public static let concrete: [CalibrationMethod] = [.minMax, .percentile, .mse, .kl]
}

/// A tensor's chosen range and what it costs on the calibration data.
public struct RangeChoice: Sendable, Hashable {
    public var method: CalibrationMethod
    public var lo: Float
    public var hi: Float
    public var quantization: Int8Quantization
    /// 10·log10(Σx² / Σ(x − dequantize(quantize(x)))²) over the calibration histogram; +∞ when exact.
    public var sqnr: Double
}

public enum RangeSearch {
    public static let percentile = 99.99
    /// Candidate clipping ranges are `k/64` of the observed extremes, k = 16…64.
    static let steps = 64, smallestStep = 16

    public static func choose(_ method: CalibrationMethod, _ histogram: ActivationHistogram) -> RangeChoice {
        if histogram.isZeroRange {
            let q = ScaleSelection.activation(lo: 0, hi: 0)
            return RangeChoice(method: method == .auto ? .minMax : method, lo: 0, hi: 0, quantization: q, sqnr: .infinity)
        }
        let bins = Bins(histogram)
        func choice(_ m: CalibrationMethod, _ range: (Float, Float)) -> RangeChoice {
            let q = ScaleSelection.activation(lo: range.0, hi: range.1)
            return RangeChoice(method: m, lo: min(range.0, 0), hi: max(range.1, 0), quantization: q, sqnr: bins.sqnr(q))
        }
        switch method {
        case .minMax: return choice(.minMax, (histogram.lower, histogram.upper))
        case .percentile: return choice(.percentile, percentileRange(histogram))
        case .mse: return choice(.mse, mseRange(bins, histogram))
        case .kl: return choice(.kl, klRange(bins, histogram))
        case .auto:
            var best = choose(.minMax, histogram)
            for m in CalibrationMethod.concrete.dropFirst() {
                let candidate = choose(m, histogram)
                if candidate.sqnr > best.sqnr { best = candidate }
            }
            return best
        }
    }

    /// The histogram's non-empty bins as (center, count), for fast repeated evaluation.
    struct Bins {
        var centers: [Float] = []
        var counts: [Double] = []
        var signal: Double = 0

        init(_ h: ActivationHistogram) {
            for (i, n) in h.counts.enumerated() where n > 0 {
                let x = h.center(i)
                centers.append(x)
                counts.append(n)
                signal += n * Double(x) * Double(x)
            }
        }

        func noise(_ q: Int8Quantization) -> Double {
            var total = 0.0
            for i in centers.indices {
                let error = Double(centers[i]) - Double(q.dequantize(ScaleSelection.quantize(centers[i], q)))
                total += counts[i] * error * error
            }
            return total
        }

        func sqnr(_ q: Int8Quantization) -> Double {
            let n = noise(q)
            return n > 0 ? 10 * log10(signal / n) : .infinity
        }
    }

    static func percentileRange(_ h: ActivationHistogram) -> (Float, Float) {
        let total = h.total
        let tail = total * (1 - percentile / 100)
        var cumulative = 0.0, lo = h.lower, hi = h.upper
        for i in h.counts.indices {
            cumulative += h.counts[i]
            if cumulative > tail { lo = h.lower + Float(i) * h.binWidth; break }
        }
        cumulative = 0
        for i in h.counts.indices.reversed() {
            cumulative += h.counts[i]
            if cumulative > tail { hi = h.lower + Float(i + 1) * h.binWidth; break }
        }
        return (lo, hi)
    }

    static func fractions() -> [Float] { (smallestStep...steps).reversed().map { Float($0) / Float(steps) } }

    static func mseRange(_ bins: Bins, _ h: ActivationHistogram) -> (Float, Float) {
        let lows = h.lower < 0 ? fractions().map { h.lower * $0 } : [0]
        let highs = h.upper > 0 ? fractions().map { h.upper * $0 } : [0]
        var best = (h.lower, h.upper), bestNoise = Double.infinity
        for lo in lows {
            for hi in highs {
                let noise = bins.noise(ScaleSelection.activation(lo: lo, hi: hi))
                if noise < bestNoise { (best, bestNoise) = ((lo, hi), noise) }
            }
        }
        return best
    }

    /// KL(P‖Q) over the bins inside the candidate range (TensorRT's entropy calibration, asymmetric): P is the
    /// histogram restricted to the range with the clipped outliers added to its edge bins; Q is built from the
    /// same bins *without* the outliers, each int8 level's mass spread evenly over its non-empty bins — so
    /// clipping shows up as divergence at the edges, and a wide range as divergence inside. The bin holding
    /// 0 is left out: after a ReLU it is a spike of exact zeros, which int8 represents exactly, and which would
    /// otherwise drive the search toward ranges so narrow that each level is one bin.
    static func klRange(_ bins: Bins, _ h: ActivationHistogram) -> (Float, Float) {
        var best = (h.lower, h.upper), bestDivergence = Double.infinity
        var counts = h.counts
        let zeroBin = Int((-h.lower / h.binWidth).rounded(.down))
        if counts.indices.contains(zeroBin) { counts[zeroBin] = 0 }
        for f in fractions() {
            let lo = h.lower * f, hi = h.upper * f
            let q = ScaleSelection.activation(lo: lo, hi: hi)
            let inside = h.counts.indices.filter { h.center($0) >= lo && h.center($0) <= hi }
            guard let first = inside.first, let last = inside.last else { continue }
            let raw = inside.map { counts[$0] }
            var p = raw
            p[0] += counts[..<first].reduce(0, +)
            p[p.count - 1] += counts[(last + 1)...].reduce(0, +)
            let level = inside.map { ScaleSelection.quantize(h.center($0), q) }
            var mass: [Int8: (total: Double, bins: Int)] = [:]
            for i in raw.indices where raw[i] > 0 {
                mass[level[i], default: (0, 0)].total += raw[i]
                mass[level[i], default: (0, 0)].bins += 1
            }
            let totalP = p.reduce(0, +), totalQ = raw.reduce(0, +)
            guard totalQ > 0 else { continue }
            var divergence = 0.0
            for i in p.indices where p[i] > 0 {
                // An edge bin that holds only clipped outliers has no Q mass: a tiny floor keeps the penalty finite.
                let qMass = raw[i] > 0 ? (mass[level[i]].map { $0.total / Double($0.bins) } ?? 0) : 0
                let pi = p[i] / totalP, qi = max(qMass / totalQ, 1e-12)
                divergence += pi * log(pi / qi)
            }
            if divergence < bestDivergence { (best, bestDivergence) = ((lo, hi), divergence) }
        }
        return best
    }
}
