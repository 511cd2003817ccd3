/// Exact widening of 16-bit floats to Float. Both formats are subsets of binary32, so every value (subnormals,
/// ±0, ±Inf, NaN) has an exact Float; done with bit arithmetic so results don't depend on platform Float16 support.
enum HalfPrecision {
    /// IEEE binary16: 1 sign, 5 exponent (bias 15), 10 mantissa bits.
    static func float(fromF16 bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24, exact because mantissa < 2^10 and 2^-24 is a normal Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        case 0x1F:
            // Inf or NaN; the payload is kept in the top mantissa bits.
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | mantissa << 13)
        }
    }

    /// bfloat16 is the top half of a binary32.
    static func float(fromBF16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
