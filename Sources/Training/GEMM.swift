/// Single-precision matrix multiply `C[M,N] (+)= A[M,K] · B[K,N]`, cache-blocked with packed panels and a 6×16
/// register tile. Operands are described by row/column strides, so transposed operands cost nothing extra
/// (packing reads them in whatever order they lie). The micro-kernel uses fused multiply-add, so the Training
/// target must be compiled for a CPU with FMA: Package.swift builds it for x86-64-v3 (`haswell`) on x86_64
/// (arm64 always has FMA). Without that flag Swift would lower each `addProduct` to a `fmaf` library call.
struct MatrixOperand {
    var base: UnsafePointer<Float>
    var rowStride: Int
    var columnStride: Int

    init(_ base: UnsafePointer<Float>, rowStride: Int, columnStride: Int = 1) {
        self.base = base
        self.rowStride = rowStride
        self.columnStride = columnStride
    }

    /// The transpose of a row-major matrix with `columns` columns.
    static func transposed(_ base: UnsafePointer<Float>, columns: Int) -> MatrixOperand {
        MatrixOperand(base, rowStride: 1, columnStride: columns)
    }
}

/// Packing buffers for one thread; reused by every multiply that thread performs.
final class GEMMWorkspace: @unchecked Sendable {
    static let mr = 6
    static let nr = 16
    static let kc = 256
    static let mc = 96
    static let nc = 1024

    let packedA = UnsafeMutablePointer<Float>.allocate(capacity: GEMMWorkspace.mc * GEMMWorkspace.kc)
    let packedB = UnsafeMutablePointer<Float>.allocate(capacity: GEMMWorkspace.kc * GEMMWorkspace.nc)
    let tile = UnsafeMutablePointer<Float>.allocate(capacity: GEMMWorkspace.mr * GEMMWorkspace.nr)

    deinit {
        packedA.deallocate()
        packedB.deallocate()
        tile.deallocate()
    }

    /// `C = A·B` (or `C += A·B` when `accumulate`), C row-major with leading dimension `ldc`.
    func multiply(m: Int, n: Int, k: Int, _ a: MatrixOperand, _ b: MatrixOperand,
                  into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        multiply(m: m, n: n, k: k, a, b, prepackedB: nil, into: c, ldc: ldc, accumulate: accumulate)
    }

    /// Number of floats a B operand of `k` rows and `n` columns occupies in the prepacked layout.
    static func packedSize(k: Int, n: Int) -> Int { k * ((n + nr - 1) / nr) * nr }

    /// Address of element (p, j) of a `k`-row B operand in the prepacked layout: panels of `nr` columns, each
    /// panel all `k` rows of `nr` consecutive floats. Producers (im2col) write this layout directly so the
    /// big operand is never packed twice.
    @inline(__always)
    static func packedOffset(row p: Int, column j: Int, k: Int) -> Int { (j / nr) * (k * nr) + p * nr + j % nr }

    /// `C (+)= A·B` with B already in the prepacked layout (see `packedOffset`).
    func multiply(m: Int, n: Int, k: Int, _ a: MatrixOperand, prepackedB: UnsafePointer<Float>,
                  into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        multiply(m: m, n: n, k: k, a, MatrixOperand(prepackedB, rowStride: 0), prepackedB: prepackedB, into: c,
                 ldc: ldc, accumulate: accumulate)
    }

    private func multiply(m: Int, n: Int, k: Int, _ a: MatrixOperand, _ b: MatrixOperand, prepackedB: UnsafePointer<Float>?,
                          into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        let mr = Self.mr, nr = Self.nr
        if k == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        var jc = 0
        while jc < n {
            let ncBlock = min(Self.nc, n - jc)
            let panelsB = (ncBlock + nr - 1) / nr
            var pc = 0
            while pc < k {
                let kcBlock = min(Self.kc, k - pc)
                let add = accumulate || pc > 0
                if prepackedB == nil { packB(b, rows: pc, count: kcBlock, columns: jc, width: ncBlock, n: n) }
                var ic = 0
                while ic < m {
                    let mcBlock = min(Self.mc, m - ic)
                    let panelsA = (mcBlock + mr - 1) / mr
                    packA(a, rows: ic, height: mcBlock, depth: pc, count: kcBlock)
                    for jp in 0..<panelsB {
                        let j0 = jc + jp * nr
                        let width = min(nr, n - j0)
                        let bPanel = prepackedB.map { $0 + ((jc / nr) + jp) * k * nr + pc * nr }
                            ?? UnsafePointer(packedB + jp * kcBlock * nr)
                        for ip in 0..<panelsA {
                            let i0 = ic + ip * mr
                            let height = min(mr, m - i0)
                            let aPanel = UnsafePointer(packedA + ip * kcBlock * mr)
                            if width == nr && height == mr {
                                Self.kernel(kcBlock, aPanel, bPanel, c + i0 * ldc + j0, ldc, add)
                            } else {
                                Self.kernel(kcBlock, aPanel, bPanel, tile, nr, false)
                                for i in 0..<height {
                                    let row = c + (i0 + i) * ldc + j0
                                    let t = tile + i * nr
                                    if add {
                                        for j in 0..<width { row[j] += t[j] }
                                    } else {
                                        for j in 0..<width { row[j] = t[j] }
                                    }
                                }
                            }
                        }
                    }
                    ic += mcBlock
                }
                pc += kcBlock
            }
            jc += ncBlock
        }
    }

    private func packA(_ a: MatrixOperand, rows start: Int, height: Int, depth: Int, count: Int) {
        let mr = Self.mr
        let panels = (height + mr - 1) / mr
        for ip in 0..<panels {
            let destination = packedA + ip * count * mr
            let i0 = start + ip * mr
            let rows = min(mr, start + height - i0)
            for p in 0..<count {
                let d = destination + p * mr
                let source = a.base + i0 * a.rowStride + (depth + p) * a.columnStride
                for i in 0..<rows { d[i] = source[i * a.rowStride] }
                for i in rows..<mr { d[i] = 0 }
            }
        }
    }

    private func packB(_ b: MatrixOperand, rows start: Int, count: Int, columns: Int, width: Int, n: Int) {
        let nr = Self.nr
        let panels = (width + nr - 1) / nr
        for jp in 0..<panels {
            let destination = packedB + jp * count * nr
            let j0 = columns + jp * nr
            let cols = min(nr, n - j0)
            if b.columnStride == 1 {
                for p in 0..<count {
                    let source = b.base + (start + p) * b.rowStride + j0
                    let d = destination + p * nr
                    if cols == nr {
                        UnsafeMutableRawPointer(d).storeBytes(of: UnsafeRawPointer(source).loadUnaligned(as: SIMD16<Float>.self),
                                                              as: SIMD16<Float>.self)
                    } else {
                        for j in 0..<cols { d[j] = source[j] }
                        for j in cols..<nr { d[j] = 0 }
                    }
                }
            } else {
                // Transposed B: walk each source column contiguously (rowStride == 1 in practice).
                for j in 0..<nr {
                    let d = destination + j
                    if j < cols {
                        let source = b.base + start * b.rowStride + (j0 + j) * b.columnStride
                        for p in 0..<count { d[p * nr] = source[p * b.rowStride] }
                    } else {
                        for p in 0..<count { d[p * nr] = 0 }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func kernel(_ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                               _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
        typealias V = SIMD16<Float>
        var c0 = V(), c1 = V(), c2 = V(), c3 = V(), c4 = V(), c5 = V()
        var ap = a
        var bp = UnsafeRawPointer(b)
        for _ in 0..<k {
            let bv = bp.loadUnaligned(as: V.self)
            c0.addProduct(V(repeating: ap[0]), bv)
            c1.addProduct(V(repeating: ap[1]), bv)
            c2.addProduct(V(repeating: ap[2]), bv)
            c3.addProduct(V(repeating: ap[3]), bv)
            c4.addProduct(V(repeating: ap[4]), bv)
            c5.addProduct(V(repeating: ap[5]), bv)
            ap += 6
            bp += 64
        }
        let raw = UnsafeMutableRawPointer(c)
        let stride = ldc * 4
        @inline(__always) func store(_ value: V, _ row: Int) {
            let p = raw + row * stride
            if accumulate {
                p.storeBytes(of: p.loadUnaligned(as: V.self) + value, as: V.self)
            } else {
                p.storeBytes(of: value, as: V.self)
            }
        }
        store(c0, 0); store(c1, 1); store(c2, 2); store(c3, 3); store(c4, 4); store(c5, 5)
    }
}
