import Foundation
import Reference

/// Compares one int8 tensor with the float tensor it approximates, accumulated over many images:
/// SQNR, the largest absolute error, and how often the float value fell outside the int8 range.
public struct LayerErrorMeter: Sendable {
    public private(set) var signal = 0.0
    public private(set) var noise = 0.0
    public private(set) var maxAbsError = 0.0
    public private(set) var saturated = 0
    public private(set) var count = 0

    public init() {}

    public mutating func add(float: some Collection<Float>, int8: some Collection<Int8>, quantization q: Int8Quantization) {
        // Values beyond half a step past either end of the int8 range cannot be represented: saturation.
        let low = q.scale * (Double(-128 - q.zeroPoint) - 0.5), high = q.scale * (Double(127 - q.zeroPoint) + 0.5)
        for (f, i) in zip(float, int8) {
            let x = Double(f)
            let error = q.scale * Double(Int32(i) - q.zeroPoint) - x
            signal += x * x
            noise += error * error
            maxAbsError = max(maxAbsError, abs(error))
            if x < low || x > high { saturated += 1 }
        }
        count += min(float.count, int8.count)
    }

    /// 10·log10(Σx² / Σerror²) in dB; nil when the int8 tensor is exact.
    public var sqnr: Double? { noise > 0 ? 10 * log10(max(signal, .leastNonzeroMagnitude) / noise) : nil }
    public var saturationPercent: Double { count == 0 ? 0 : 100 * Double(saturated) / Double(count) }

    public mutating func merge(_ other: LayerErrorMeter) {
        signal += other.signal
        noise += other.noise
        maxAbsError = max(maxAbsError, other.maxAbsError)
        saturated += other.saturated
        count += other.count
    }
}
