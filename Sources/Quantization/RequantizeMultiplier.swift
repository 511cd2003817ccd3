import Reference

/// Thrown when a real multiplier cannot be encoded (negative, NaN or infinite).
public struct MultiplierError: Error, Sendable, CustomStringConvertible {
    public var value: Double
    public var what: String
    public var description: String { "cannot encode \(what) multiplier \(value): expected a finite number ≥ 0" }
}

/// Encodes a real multiplier `m ≥ 0` as `M × 2^-s` with `M` in [2^30, 2^31 − 1] and `s` in 1...63 — the only
/// place the int8 path touches floating point, at compile time. `M = round(significand × 2^30)` (ties away from
/// zero, Double's `.rounded()`), renormalized when it rounds up to 2^31.
/// Out-of-range multipliers are replaced by ones that give identical int8 results:
/// - `m < 2^-33`: |acc × m| ≤ 2^31 × 2^-33 < 1/2 for every Int32 acc, so the result is always 0 → `M = 0`.
/// - `m ≥ 2^30`: every acc ≠ 0 already lands beyond ±2^29 and saturates int8 → the largest encodable multiplier.
public func requantizeMultiplier(_ real: Double, what: String = "requantization") throws(MultiplierError)
    -> (multiplier: Int32, shift: Int32) {
    guard real.isFinite, real >= 0 else { throw MultiplierError(value: real, what: what) }
    if real == 0 { return (0, 1) }
    var exponent = Int(real.exponent)               // real = significand × 2^exponent, significand in [1, 2)
    var mantissa = (real.significand * 1_073_741_824).rounded()   // × 2^30 → [2^30, 2^31]
    if mantissa == 2_147_483_648 {
        mantissa = 1_073_741_824
        exponent += 1
    }
    let shift = 30 - exponent
    if shift > 63 { return (0, 1) }
    if shift < 1 { return (Int32.max, 1) }
    return (Int32(mantissa), Int32(shift))
}

extension FixedPointMultiplier {
    /// `FixedPointMultiplier(real: s_in × s_w / s_out)`; see `requantizeMultiplier`.
    public init(real: Double, what: String = "requantization") throws(MultiplierError) {
        let (multiplier, shift) = try requantizeMultiplier(real, what: what)
        self.init(multiplier: multiplier, shift: shift)
    }

    /// The real number this pair encodes (for reports and tests only).
    public var realValue: Double { Double(multiplier) * Double(sign: .plus, exponent: -Int(shift), significand: 1) }
}
