import Testing
@testable import Training

/// The blocked multiply against a naive triple loop (Double accumulation) on sizes that exercise partial
/// register tiles, several K blocks and every operand orientation.
@Suite struct GEMMTests {
    @Test(arguments: [(1, 1, 1), (7, 17, 5), (13, 33, 300), (100, 20, 3), (6, 16, 257)])
    func matchesNaiveProduct(size: (Int, Int, Int)) {
        let (m, n, k) = size
        var random = RandomGenerator(seed: UInt64(m * 1000 + n * 10 + k))
        let a = (0..<(m * k)).map { _ in random.uniform(-1, 1) }
        let b = (0..<(k * n)).map { _ in random.uniform(-1, 1) }
        let initial = (0..<(m * n)).map { _ in random.uniform(-1, 1) }
        let workspace = GEMMWorkspace()
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                for accumulate in [false, true] {
                    var c = initial
                    a.withUnsafeBufferPointer { a in
                        b.withUnsafeBufferPointer { b in
                            c.withUnsafeMutableBufferPointer { c in
                                // Same logical A and B; only their storage order differs.
                                let left = transposeA ? MatrixOperand(a.baseAddress!, rowStride: 1, columnStride: m)
                                    : MatrixOperand(a.baseAddress!, rowStride: k)
                                let right = transposeB ? MatrixOperand(b.baseAddress!, rowStride: 1, columnStride: k)
                                    : MatrixOperand(b.baseAddress!, rowStride: n)
                                workspace.multiply(m: m, n: n, k: k, left, right, into: c.baseAddress!, ldc: n,
                                                   accumulate: accumulate)
                            }
                        }
                    }
                    var worst = 0.0
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum = accumulate ? Double(initial[i * n + j]) : 0
                            for p in 0..<k {
                                let x = transposeA ? a[p * m + i] : a[i * k + p]
                                let y = transposeB ? b[j * k + p] : b[p * n + j]
                                sum += Double(x) * Double(y)
                            }
                            worst = max(worst, abs(sum - Double(c[i * n + j])))
                        }
                    }
                    #expect(worst <= 1e-4 * Double(k), "m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB) acc \(accumulate)")
                }
            }
        }
    }
}
