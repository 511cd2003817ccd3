import CInt8Kernels
import Dispatch
import Runtime

/// The int8 multiply-accumulate peak of the instructions a kernel path uses, measured now on this machine.
///
/// Many short calls (tens of µs), the fastest one counts: on a shared machine a long round is nearly always
/// preempted somewhere, while the layers being compared are timed in µs-long calls that mostly are not.
enum PathPeak {
    /// MACs per second and what was measured.
    static func measure(_ path: KernelPath) -> (macsPerSecond: Double, method: String) {
        if path == .avx512vnni, KernelPath.avx512vnni.isSupported(by: .current), Kernels.vnniCompiled {
            let iterations: Int64 = 1_000
            let seconds = fastest(calls: 4_000) { _ = digits_vnni_peak_loop(iterations) }
            return (Double(iterations * 24 * 64) / seconds,
                    "24 independent vpdpbusd chains (AVX-512 VNNI), fastest of 4000 calls of 24,000 instructions")
        }
        if path == .avx2, KernelPath.avx2.isSupported(by: .current), Kernels.avx2Compiled {
            let iterations: Int64 = 3_000
            let seconds = fastest(calls: 4_000) { _ = digits_avx2_peak_loop(iterations) }
            return (Double(iterations * 7 * 16) / seconds,
                    "7 independent vpmaddwd + vpaddd chains (AVX2, 16 MACs each), fastest of 4000 calls of 21,000 pairs")
        }
        var state = PortableState()
        let iterations = 1_000
        let seconds = fastest(calls: 4_000) { state.run(iterations: iterations) }
        return (Double(iterations * 2 * 64) / seconds,
                "the portable kernels' dot step (SIMD16<Int32> shifts, multiplies, adds; 2 accumulators) on registers, fastest of 4000 calls")
    }

    private static func fastest(calls: Int, _ body: () -> Void) -> Double {
        for _ in 0..<100 { body() }
        var best = Double.infinity
        for _ in 0..<calls {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }

    /// The portable convolution's inner step (PortableKernels.dot) on values the optimizer cannot predict.
    struct PortableState {
        var a0 = SIMD16<Int32>(repeating: 1), a1 = SIMD16<Int32>(repeating: 2)
        var words = SIMD16<Int32>(0x0102_0304, 0x0506_0708, 0x090A_0B0C, 0x0D0E_0F10, 0x1112_1314, 0x1516_1718,
                                  0x191A_1B1C, 0x1D1E_1F20, 0x2122_2324, 0x2526_2728, 0x292A_2B2C, 0x2D2E_2F30,
                                  0x3132_3334, 0x3536_3738, 0x393A_3B3C, 0x3D3E_3F40)

        @inline(never)
        mutating func run(iterations: Int) {
            var a0 = self.a0, a1 = self.a1
            var w = words
            for i in 0..<iterations {
                let x = UInt32(truncatingIfNeeded: i &* 0x9E37_79B9)
                a0 &+= ((w &<< 24) &>> 24) &* Int32(x & 0xFF)
                a0 &+= ((w &<< 16) &>> 24) &* Int32((x >> 8) & 0xFF)
                a0 &+= ((w &<< 8) &>> 24) &* Int32((x >> 16) & 0xFF)
                a0 &+= (w &>> 24) &* Int32(x >> 24)
                let v = w &+ a0
                a1 &+= ((v &<< 24) &>> 24) &* Int32(x & 0xFF)
                a1 &+= ((v &<< 16) &>> 24) &* Int32((x >> 8) & 0xFF)
                a1 &+= ((v &<< 8) &>> 24) &* Int32((x >> 16) & 0xFF)
                a1 &+= (v &>> 24) &* Int32(x >> 24)
                w = w &+ SIMD16(repeating: 1)
            }
            self.a0 = a0
            self.a1 = a1
            words = w
        }
    }
}
