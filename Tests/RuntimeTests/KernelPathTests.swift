import Testing
@testable import Runtime

@Suite struct KernelPathTests {
    static let noSIMD = CPUFeatures(vendor: "test", brand: "test", architecture: "x86_64")
    static var avx2Only: CPUFeatures {
        var cpu = noSIMD
        cpu.avx = true; cpu.avx2 = true; cpu.fma = true
        return cpu
    }
    static var vnni: CPUFeatures {
        var cpu = avx2Only
        cpu.avx512f = true; cpu.avx512bw = true; cpu.avx512vl = true; cpu.avx512vnni = true
        return cpu
    }

    @Test func bestPathFollowsFeatures() {
        #expect(KernelPath.best(for: Self.noSIMD) == .portable)
        #expect(KernelPath.best(for: Self.avx2Only) == .avx2)
        #expect(KernelPath.best(for: Self.vnni) == .avx512vnni)
        var noVNNI = Self.vnni
        noVNNI.avx512vnni = false
        #expect(KernelPath.best(for: noVNNI) == .avx2)
    }

    @Test func environmentForcesPortable() throws {
        let path = try KernelPath.select(requested: nil, environment: ["DIGITS_KERNEL_PATH": "portable"], cpu: Self.vnni)
        #expect(path == .portable)
    }

    @Test func flagWinsOverEnvironment() throws {
        let path = try KernelPath.select(requested: "avx2", environment: ["DIGITS_KERNEL_PATH": "portable"], cpu: Self.vnni)
        #expect(path == .avx2)
    }

    @Test func unsupportedPathIsAnErrorNotAFallback() {
        #expect {
            try KernelPath.select(requested: "avx512vnni", environment: [:], cpu: Self.avx2Only)
        } throws: { error in
            "\(error)".hasPrefix("--kernel-path=avx512vnni: this CPU lacks the instructions for it")
        }
        #expect {
            try KernelPath.select(requested: nil, environment: ["DIGITS_KERNEL_PATH": "sse9"], cpu: Self.avx2Only)
        } throws: { error in
            "\(error)" == "$DIGITS_KERNEL_PATH=sse9: unknown kernel path; expected one of portable, avx2, avx512vnni"
        }
    }

    @Test func detectedFeaturesAreConsistent() {
        let cpu = CPUFeatures.current
        // AVX-512 extensions imply the foundation; AVX2 implies AVX (a detector bug would break these).
        if cpu.avx512vnni || cpu.avx512bw { #expect(cpu.avx512f) }
        if cpu.avx2 { #expect(cpu.avx) }
        #expect(!cpu.brand.isEmpty)
    }
}
