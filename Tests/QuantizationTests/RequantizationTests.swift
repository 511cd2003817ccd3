import Testing
@testable import Quantization
import Reference

/// Exact reference for the primitive, written independently: floor((2·acc·M + 2^s) / 2^(s+1)) in 128-bit.
private func exactRequantize(_ acc: Int32, _ m: FixedPointMultiplier) -> Int64 {
    let numerator = 2 * Int128(acc) * Int128(m.multiplier) + (Int128(1) << Int128(m.shift))
    let denominator = Int128(1) << Int128(m.shift + 1)
    var quotient = numerator / denominator             // truncates toward zero
    if numerator % denominator != 0 && numerator < 0 { quotient -= 1 }
    return Int64(quotient)
}

@Suite struct RequantizationTests {
    static let half = FixedPointMultiplier(multiplier: 1 << 30, shift: 31)

    @Test func tiesRoundTowardPositiveInfinity() {
        let cases: [(Int32, Int64)] = [(1, 1), (-1, 0), (3, 2), (-3, -1), (5, 3), (-5, -2), (0, 0), (2, 1), (-2, -1)]
        for (acc, expected) in cases {
            #expect(Int8Arithmetic.requantize(acc, Self.half) == expected, "acc \(acc)")
        }
        // 0.25-multiples around ties: -0.75 → -1, -0.25 → 0, 0.25 → 0, 0.75 → 1.
        let quarter = FixedPointMultiplier(multiplier: 1 << 30, shift: 32)
        #expect([-3, -1, 1, 3].map { Int8Arithmetic.requantize($0, quarter) } == [-1, 0, 0, 1])
    }

    @Test func roundingShiftRightOnNegatives() {
        #expect(Int8Arithmetic.roundingShiftRight(-8, 2) == -2)   // -2 exactly
        #expect(Int8Arithmetic.roundingShiftRight(-9, 2) == -2)   // -2.25
        #expect(Int8Arithmetic.roundingShiftRight(-10, 2) == -2)  // -2.5 tie → up
        #expect(Int8Arithmetic.roundingShiftRight(-11, 2) == -3)  // -2.75
        #expect(Int8Arithmetic.roundingShiftRight(10, 2) == 3)    // 2.5 tie → up
    }

    @Test func identityIsExactForEveryExtremeAccumulator() {
        for acc in [Int32.min, Int32.min + 1, -1, 0, 1, Int32.max - 1, Int32.max] {
            #expect(Int8Arithmetic.requantize(acc, .identity) == Int64(acc))
        }
    }

    @Test func extremeAccumulatorsAndMultipliersDoNotOverflow() {
        let largest = FixedPointMultiplier(multiplier: .max, shift: 1)
        let smallest = FixedPointMultiplier(multiplier: 1 << 30, shift: 63)
        let largestAtSmallestScale = FixedPointMultiplier(multiplier: .max, shift: 63)
        #expect(Int8Arithmetic.requantize(.max, largest) == 2_305_843_007_066_210_305)  // (2^31−1)^2 / 2 = …304.5, tie → up
        #expect(Int8Arithmetic.requantize(.min, largest) == -2_305_843_008_139_952_128)  // −2^31·(2^31−1)/2 exactly
        #expect(Int8Arithmetic.requantize(.max, smallest) == 0)
        #expect(Int8Arithmetic.requantize(.min, smallest) == 0)     // −2^61 / 2^63 = −0.25
        #expect(Int8Arithmetic.requantize(.min, largestAtSmallestScale) == 0)   // ≈ −0.5 + 2^-32 → 0
        for m in [largest, smallest, largestAtSmallestScale, .identity, Self.half] {
            for acc in [Int32.min, Int32.max, -1, 1] {
                #expect(Int8Arithmetic.requantize(acc, m) == exactRequantize(acc, m))
            }
        }
    }

    @Test func saturationAtBothEnds() {
        let largest = FixedPointMultiplier(multiplier: .max, shift: 1)
        #expect(Int8Arithmetic.requantizeToInt8(.max, largest, zeroPoint: 0, qmin: -128, qmax: 127) == 127)
        #expect(Int8Arithmetic.requantizeToInt8(.min, largest, zeroPoint: 0, qmin: -128, qmax: 127) == -128)
        #expect(Int8Arithmetic.requantizeToInt8(.max, largest, zeroPoint: -128, qmin: -128, qmax: 127) == 127)
        #expect(Int8Arithmetic.requantizeToInt8(.min, largest, zeroPoint: 127, qmin: -128, qmax: 127) == -128)
        // Fused ReLU: qmin = zero point.
        #expect(Int8Arithmetic.requantizeToInt8(-7, .identity, zeroPoint: -20, qmin: -20, qmax: 127) == -20)
        #expect(Int8Arithmetic.requantizeToInt8(7, .identity, zeroPoint: -20, qmin: -20, qmax: 127) == -13)
        #expect(Int8Arithmetic.requantizeToInt8(146, .identity, zeroPoint: -20, qmin: -20, qmax: 127) == 126)
        #expect(Int8Arithmetic.requantizeToInt8(147, .identity, zeroPoint: -20, qmin: -20, qmax: 127) == 127)
        #expect(Int8Arithmetic.requantizeToInt8(148, .identity, zeroPoint: -20, qmin: -20, qmax: 127) == 127)
    }

    @Test func encodesExactPowersAndFractions() throws {
        #expect(try requantizeMultiplier(1) == (1 << 30, 30))
        #expect(try requantizeMultiplier(0.5) == (1 << 30, 31))
        #expect(try requantizeMultiplier(0.75) == (1_610_612_736, 31))
        #expect(try requantizeMultiplier(3) == (1_610_612_736, 29))
        #expect(try requantizeMultiplier(0) == (0, 1))
        // Just below 2: the mantissa rounds up to 2^31 and is renormalized to 2.0.
        #expect(try requantizeMultiplier(2.0.nextDown) == (1 << 30, 29))
    }

    @Test func smallestAndLargestMultipliers() throws {
        let twoToMinus33 = Double(sign: .plus, exponent: -33, significand: 1)
        #expect(try requantizeMultiplier(twoToMinus33) == (1 << 30, 63))
        #expect(try requantizeMultiplier(twoToMinus33.nextDown) == (1 << 30, 63))   // rounds up to 2^-33
        #expect(try requantizeMultiplier(twoToMinus33 * 0.75) == (0, 1))
        #expect(try requantizeMultiplier(.leastNonzeroMagnitude) == (0, 1))
        let twoTo30 = Double(sign: .plus, exponent: 30, significand: 1)
        #expect(try requantizeMultiplier(twoTo30.nextDown) == (Int32.max, 1))   // mantissa 2^31−1 after rounding
        #expect(try requantizeMultiplier(twoTo30) == (Int32.max, 1))
        #expect(try requantizeMultiplier(.greatestFiniteMagnitude) == (Int32.max, 1))
        // Any multiplier below 2^-33 sends every Int32 accumulator to 0, as the encoded 0 does.
        let m = try FixedPointMultiplier(real: twoToMinus33)
        #expect(Int8Arithmetic.requantize(.min, m) == 0 && Int8Arithmetic.requantize(.max, m) == 0)
    }

    @Test func rejectsNegativeAndNonFinite() {
        for bad in [-1.0, -Double.leastNonzeroMagnitude, .nan, .infinity, -.infinity] {
            #expect(throws: MultiplierError.self) { try requantizeMultiplier(bad) }
        }
        #expect(throws: MultiplierError.self) { try requantizeMultiplier(-0.5, what: "conv1") }
        #expect("\(MultiplierError(value: -0.5, what: "conv1"))" == "cannot encode conv1 multiplier -0.5: expected a finite number ≥ 0")
    }

    @Test func relativeEncodingErrorIsBelowTwoToMinus31() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let real = Double(sign: .plus, exponent: Int(generator.next() % 60) - 32,
                              significand: 1 + Double(generator.next() % (1 << 52)) / Double(1 << 52))
            let m = try FixedPointMultiplier(real: real)
            #expect(m.isValid)
            #expect((1 << 30)...Int32.max ~= m.multiplier)
            #expect(abs(m.realValue - real) / real <= 0x1p-31, "\(real)")
        }
    }

    @Test func matchesExactReferenceOnRandomValues() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<50_000 {
            let acc = Int32(truncatingIfNeeded: generator.next() >> UInt64(generator.next() % 33))
            let real = Double(sign: .plus, exponent: Int(generator.next() % 40) - 34,
                              significand: 1 + Double(generator.next() % (1 << 52)) / Double(1 << 52))
            let m = try FixedPointMultiplier(real: real)
            let result = Int8Arithmetic.requantize(acc, m)
            #expect(result == exactRequantize(acc, m), "acc \(acc) m \(m)")
            // And within half a unit (plus the multiplier's encoding error) of the real product.
            let realProduct = Double(acc) * real
            #expect(abs(Double(result) - realProduct) <= 0.5 + abs(realProduct) * 0x1p-30 + 1e-9, "acc \(acc) m \(real)")
        }
    }
}

/// Deterministic random numbers for tests (Vigna's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
