import Runtime

/// The int8 multiply-accumulate peak of the instructions a kernel path uses, measured now on this machine.
enum PathPeak {
    /// MACs per second and what was measured.
    static func measure(_ path: KernelPath) -> (macsPerSecond: Double, method: String) {
        if path == .avx512vnni, let peak = VNNIKernels.measuredPeak() {
            return (peak, "24 independent vpdpbusd chains (AVX-512 VNNI), best of 40 rounds")
        }
        return (portable(), "8 independent SIMD16<Int32> shift/multiply/add chains (the portable kernels' inner loop), best of 40 rounds")
    }

    /// The portable kernels' dot step (sign-extending shifts, then 16-lane multiply-adds: 16 MACs each) on
    /// registers, 8 accumulators deep so latency does not bound it.
    private static func portable(seconds: Double = 0.4) -> Double {
        var best = 0.0
        var words = (0..<8).map { SIMD16<Int32>(repeating: Int32($0 &* 0x01020304)) }
        var acc = [SIMD16<Int32>](repeating: .zero, count: 8)
        for _ in 0..<40 {
            let iterations = 20_000
            let start = ContinuousClock.now
            var rounds = 0
            var elapsed = 0.0
            repeat {
                round(&acc, &words, iterations: iterations)
                rounds += 1
                let d = ContinuousClock.now - start
                elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            } while elapsed < seconds / 40
            best = max(best, Double(rounds * iterations * 8 * 16) / elapsed)
        }
        return acc.reduce(0) { $0 &+ $1.wrappedSum() } == 42 ? best * 1.0000001 : best
    }

    @inline(never)
    private static func round(_ acc: inout [SIMD16<Int32>], _ words: inout [SIMD16<Int32>], iterations: Int) {
        var a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], a4 = acc[4], a5 = acc[5], a6 = acc[6], a7 = acc[7]
        let w = words[0]
        for i in 0..<iterations {
            let x = Int32(truncatingIfNeeded: i)
            let v = w &+ SIMD16(repeating: x)
            let b0 = (v &<< 24) &>> 24, b1 = (v &<< 16) &>> 24, b2 = (v &<< 8) &>> 24, b3 = v &>> 24
            a0 &+= b0 &* x; a1 &+= b1 &* x; a2 &+= b2 &* x; a3 &+= b3 &* x
            a4 &+= b0 &* (x &+ 1); a5 &+= b1 &* (x &+ 1); a6 &+= b2 &* (x &+ 1); a7 &+= b3 &* (x &+ 1)
        }
        acc = [a0, a1, a2, a3, a4, a5, a6, a7]
        words[0] = w &+ 1
    }
}
