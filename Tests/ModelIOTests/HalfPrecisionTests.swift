import Testing
@testable import ModelIO

@Suite struct HalfPrecisionTests {
    @Test func f16KnownValues() {
        let cases: [(UInt16, Float)] = [
            (0x0000, 0), (0x3C00, 1), (0xC000, -2), (0x3555, 0x1.554p-2), (0x7BFF, 65504),
            (0x0400, 0x1p-14),          // smallest normal
            (0x0001, 0x1p-24),          // smallest subnormal
            (0x03FF, 1023 * 0x1p-24),   // largest subnormal
            (0x8001, -0x1p-24),
            (0x7C00, .infinity), (0xFC00, -.infinity),
        ]
        for (bits, expected) in cases {
            #expect(HalfPrecision.float(fromF16: bits).bitPattern == expected.bitPattern, "0x\(String(bits, radix: 16))")
        }
        #expect(HalfPrecision.float(fromF16: 0x8000).bitPattern == 0x8000_0000)  // negative zero keeps its sign
        #expect(HalfPrecision.float(fromF16: 0x7E00).isNaN)
        #expect(HalfPrecision.float(fromF16: 0x7C01).isNaN)
    }

    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    /// Every one of the 65,536 patterns agrees with the platform's Float16 → Float conversion.
    @Test func f16MatchesTheCompilerForEveryBitPattern() {
        var mismatches: [UInt16] = []
        for bits in UInt16.min...UInt16.max {
            let ours = HalfPrecision.float(fromF16: bits)
            let platform = Float(Float16(bitPattern: bits))
            let same = ours.isNaN ? platform.isNaN : ours.bitPattern == platform.bitPattern
            if !same { mismatches.append(bits) }
        }
        #expect(mismatches.isEmpty)
    }
    #endif

    @Test func bf16KnownValues() {
        let cases: [(UInt16, UInt32)] = [
            (0x3F80, 0x3F80_0000), (0x8000, 0x8000_0000), (0x0001, 0x0001_0000), (0x7F7F, 0x7F7F_0000),
            (0xFF80, 0xFF80_0000),
        ]
        for (bits, expected) in cases {
            #expect(HalfPrecision.float(fromBF16: bits).bitPattern == expected)
        }
        #expect(HalfPrecision.float(fromBF16: 0x0001) == 0x1p-133)
        #expect(HalfPrecision.float(fromBF16: 0x7FC0).isNaN)
    }
}
