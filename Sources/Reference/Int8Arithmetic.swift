/// A real multiplier `m` as an integer pair: `m ≈ multiplier × 2^-shift`. `Int8Arithmetic.requantize` applies it
/// with a single rounding; docs/quantization.md is the normative definition.
public struct FixedPointMultiplier: Sendable, Hashable, Codable, CustomStringConvertible {
    /// In [2^30, 2^31 − 1] for every non-zero multiplier; 0 means "the real multiplier rounds every input to 0".
    public var multiplier: Int32
    /// Total right shift after the 64-bit product, in 1...63.
    public var shift: Int32

    public static let validShifts: ClosedRange<Int32> = 1...63

    public init(multiplier: Int32, shift: Int32) {
        self.multiplier = multiplier
        self.shift = shift
    }

    /// Exactly 1: `requantize(x, identity) == x` for every Int32 `x`.
    public static let identity = FixedPointMultiplier(multiplier: 1 << 30, shift: 30)

    /// Non-negative multiplier and a shift the primitive can apply without overflow.
    public var isValid: Bool { multiplier >= 0 && Self.validShifts.contains(shift) }

    public var description: String { "\(multiplier)·2^-\(shift)" }
}

/// The integer primitives of the int8 scheme. No floating point: these define the bits every kernel must produce.
public enum Int8Arithmetic {
    /// `floor((value + 2^(shift−1)) / 2^shift)`: division by a power of two rounding to nearest, ties toward +∞.
    /// `shift` in 1...63; `value + 2^(shift−1)` must not overflow, which holds for every value the scheme forms.
    @inlinable
    public static func roundingShiftRight(_ value: Int64, _ shift: Int32) -> Int64 {
        (value + (Int64(1) << Int64(shift - 1))) >> Int64(shift)
    }

    /// `round(acc × M / 2^shift)` with ties toward +∞, computed exactly in 64 bits:
    /// |acc × M| < 2^31 · 2^31 = 2^62 and 2^(shift−1) ≤ 2^62, so the sum stays below 2^63.
    @inlinable
    public static func requantize(_ acc: Int32, _ m: FixedPointMultiplier) -> Int64 {
        roundingShiftRight(Int64(acc) * Int64(m.multiplier), m.shift)
    }

    /// Adds the output zero point and clamps to [qmin, qmax]; the result of every int8-producing op.
    @inlinable
    public static func saturate(_ value: Int64, zeroPoint: Int32, qmin: Int8, qmax: Int8) -> Int8 {
        // value may be as large as 2^61; clamp before adding so the sum cannot overflow.
        let bounded = min(max(value, -1024), 1024) + Int64(zeroPoint)
        return Int8(min(max(bounded, Int64(qmin)), Int64(qmax)))
    }

    /// Requantize then saturate: the epilogue of conv, dense, pools and concat.
    @inlinable
    public static func requantizeToInt8(_ acc: Int32, _ m: FixedPointMultiplier, zeroPoint: Int32,
                                        qmin: Int8, qmax: Int8) -> Int8 {
        saturate(requantize(acc, m), zeroPoint: zeroPoint, qmin: qmin, qmax: qmax)
    }
}
