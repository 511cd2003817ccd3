import Reference

/// Scales and zero points from real ranges: the compile-time (floating point) half of the scheme.
public enum ScaleSelection {
    /// Asymmetric int8 over [lo, hi] widened to contain 0 (so real 0 — padding, ReLU — is exact):
    /// `scale = (hi − lo) / 255`, `zp = clamp(−128 − round(lo / scale), −128, 127)`.
    /// A zero-width range (a tensor that was always 0) gets scale 1, zero point 0.
    public static func activation(lo: Float, hi: Float) -> Int8Quantization {
        let low = Double(min(lo, 0)), high = Double(max(hi, 0))
        guard high - low > 0, (high - low).isFinite else { return Int8Quantization(scale: 1, zeroPoint: 0) }
        let scale = (high - low) / 255
        let zeroPoint = min(max(-128 - (low / scale).rounded(), -128), 127)
        return Int8Quantization(scale: scale, zeroPoint: Int32(zeroPoint))
    }

    /// `clamp(round(x / scale) + zp, −128, 127)`, the quantizer calibration measures against (float; never at run time).
    @inlinable
    public static func quantize(_ x: Float, _ q: Int8Quantization) -> Int8 {
        let level = (Double(x) / q.scale).rounded() + Double(q.zeroPoint)
        return Int8(min(max(level, -128), 127))
    }

    /// Symmetric per output channel: `scale[c] = max|w_c| / 127` (1 for an all-zero channel),
    /// `q = clamp(round(w / scale[c]), −127, 127)`, ties away from zero.
    public static func perChannelWeights(_ weights: [Float], channels: Int) -> (values: [Int8], scales: [Double]) {
        let perChannel = channels == 0 ? 0 : weights.count / channels
        var values = [Int8](repeating: 0, count: weights.count)
        var scales = [Double](repeating: 1, count: channels)
        for c in 0..<channels {
            let range = (c * perChannel)..<((c + 1) * perChannel)
            let largest = weights[range].reduce(0) { max($0, abs(Double($1))) }
            guard largest > 0 else { continue }
            let scale = largest / 127
            scales[c] = scale
            for i in range { values[i] = Int8(min(max((Double(weights[i]) / scale).rounded(), -127), 127)) }
        }
        return (values, scales)
    }
}
