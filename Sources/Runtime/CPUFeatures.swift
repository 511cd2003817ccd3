import CCPUFeatures

/// What this CPU (and its OS) can execute, read once from CPUID/XCR0 (x86) or AT_HWCAP (arm64).
/// A feature counts only when the OS also saves the registers it uses, so selecting a path from this never
/// executes an instruction the machine cannot run.
public struct CPUFeatures: Sendable, Hashable {
    public var vendor: String
    public var brand: String
    public var architecture: String
    public var sse41 = false
    public var avx = false
    public var avx2 = false
    public var fma = false
    public var avx512f = false
    public var avx512bw = false
    public var avx512vl = false
    public var avx512vnni = false
    public var avxVnni = false
    public var neon = false
    public var neonDotProduct = false

    public static let current = CPUFeatures.detect()

    /// Feature names, as Linux's /proc/cpuinfo spells them, of those present.
    public var names: [String] {
        [("sse4_1", sse41), ("avx", avx), ("avx2", avx2), ("fma", fma), ("avx512f", avx512f),
         ("avx512bw", avx512bw), ("avx512vl", avx512vl), ("avx512_vnni", avx512vnni), ("avx_vnni", avxVnni),
         ("asimd", neon), ("asimddp", neonDotProduct)].filter(\.1).map(\.0)
    }

    static func detect() -> CPUFeatures {
        #if arch(x86_64)
        return detectX86()
        #elseif arch(arm64)
        // AT_HWCAP bit 1 = ASIMD, bit 20 = ASIMDDP (Linux arm64 hwcaps).
        let hwcap = digits_hwcap()
        var features = CPUFeatures(vendor: "arm", brand: "arm64", architecture: "arm64")
        features.neon = true
        features.neonDotProduct = hwcap & (1 << 20) != 0
        return features
        #else
        return CPUFeatures(vendor: "unknown", brand: "unknown", architecture: "unknown")
        #endif
    }

    private static func cpuid(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> digits_cpuid_registers? {
        var registers = digits_cpuid_registers()
        return digits_cpuid(leaf, subleaf, &registers) != 0 ? registers : nil
    }

    private static func detectX86() -> CPUFeatures {
        func bit(_ value: UInt32, _ index: UInt32) -> Bool { value & (1 << index) != 0 }
        func ascii(_ words: [UInt32]) -> String {
            var bytes: [UInt8] = []
            for word in words { for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((word >> UInt32(shift)) & 0xff)) } }
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: " ")
        }
        let vendor = cpuid(0).map { ascii([$0.ebx, $0.edx, $0.ecx]) } ?? "unknown"
        var brandWords: [UInt32] = []
        if let top = cpuid(0x8000_0000), top.eax >= 0x8000_0004 {
            for leaf in UInt32(0x8000_0002)...0x8000_0004 {
                if let r = cpuid(leaf) { brandWords += [r.eax, r.ebx, r.ecx, r.edx] }
            }
        }
        var f = CPUFeatures(vendor: vendor, brand: brandWords.isEmpty ? vendor : ascii(brandWords), architecture: "x86_64")
        let xcr0 = digits_xcr0()
        let osSavesYMM = xcr0 & 0b110 == 0b110               // SSE + AVX state
        let osSavesZMM = osSavesYMM && xcr0 & 0b1110_0000 == 0b1110_0000  // opmask, ZMM_Hi256, Hi16_ZMM
        if let l1 = cpuid(1) {
            f.sse41 = bit(l1.ecx, 19)
            f.avx = bit(l1.ecx, 28) && osSavesYMM
            f.fma = bit(l1.ecx, 12) && osSavesYMM
        }
        if let l7 = cpuid(7) {
            f.avx2 = bit(l7.ebx, 5) && osSavesYMM
            f.avx512f = bit(l7.ebx, 16) && osSavesZMM
            f.avx512bw = bit(l7.ebx, 30) && osSavesZMM
            f.avx512vl = bit(l7.ebx, 31) && osSavesZMM
            f.avx512vnni = bit(l7.ecx, 11) && osSavesZMM
        }
        if let l71 = cpuid(7, 1) {
            f.avxVnni = bit(l71.eax, 4) && osSavesYMM
        }
        return f
    }
}

private extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
