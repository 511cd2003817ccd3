/// im2col / col2im for a run of consecutive images: the column matrix is `[patchSize, images * outputPixels]`,
/// so one matrix multiply covers the whole run.
enum Im2Col {
    /// `images` CHW images starting at `input` → `columns` (row length `images * outputPixels`).
    static func expand(_ g: WindowGeometry, input: UnsafePointer<Float>, images: Int,
                       columns: UnsafeMutablePointer<Float>) {
        let imageSize = g.channels * g.inputPixels
        let rowLength = images * g.outputPixels
        for c in 0..<g.channels {
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let row = columns + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * rowLength
                    let (first, end) = g.validColumns(kx: kx)
                    for image in 0..<images {
                        let plane = input + image * imageSize + c * g.inputPixels
                        for oy in 0..<g.outHeight {
                            let destination = row + image * g.outputPixels + oy * g.outWidth
                            let iy = oy * g.strideY - g.padTop + ky
                            guard iy >= 0 && iy < g.height else {
                                destination.update(repeating: 0, count: g.outWidth)
                                continue
                            }
                            let source = plane + iy * g.width - g.padLeft + kx
                            for ox in 0..<first { destination[ox] = 0 }
                            // Rows are short (≤ 28 floats): a plain loop beats a memmove call.
                            if g.strideX == 1 {
                                var ox = first
                                while ox &+ 8 <= end {
                                    UnsafeMutableRawPointer(destination + ox).storeBytes(
                                        of: UnsafeRawPointer(source + ox).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                                    ox &+= 8
                                }
                                while ox < end {
                                    destination[ox] = source[ox]
                                    ox &+= 1
                                }
                            } else {
                                for ox in first..<end { destination[ox] = source[ox &* g.strideX] }
                            }
                            for ox in end..<g.outWidth { destination[ox] = 0 }
                        }
                    }
                }
            }
        }
    }

    /// Adds the column matrix back onto `images` CHW gradient images (the adjoint of `expand`).
    static func accumulate(_ g: WindowGeometry, columns: UnsafePointer<Float>, images: Int,
                           into gradient: UnsafeMutablePointer<Float>) {
        let imageSize = g.channels * g.inputPixels
        let rowLength = images * g.outputPixels
        for c in 0..<g.channels {
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let row = columns + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * rowLength
                    let (first, end) = g.validColumns(kx: kx)
                    for image in 0..<images {
                        let plane = gradient + image * imageSize + c * g.inputPixels
                        for oy in 0..<g.outHeight {
                            let iy = oy * g.strideY - g.padTop + ky
                            guard iy >= 0 && iy < g.height else { continue }
                            let source = row + image * g.outputPixels + oy * g.outWidth
                            let destination = plane + iy * g.width - g.padLeft + kx
                            for ox in first..<end { destination[ox * g.strideX] += source[ox] }
                        }
                    }
                }
            }
        }
    }

    /// Like `expand`, but writes the column matrix straight into the GEMM's prepacked-B layout: as
    /// `[patchSize, pixels]` (the forward product W·columns) or, `transposed`, as `[pixels, patchSize]` (the
    /// weight gradient dOut·columnsᵀ). Padding columns of the last panel are zero. Loops run in the order that
    /// writes whole 16-float panel rows (one cache line) at a time.
    static func expandPacked(_ g: WindowGeometry, input: UnsafePointer<Float>, images: Int,
                             into packed: UnsafeMutablePointer<Float>, transposed: Bool) {
        let length = images &* g.outputPixels
        let nr = GEMMWorkspace.nr
        let k = transposed ? length : g.patchSize
        let n = transposed ? g.patchSize : length
        let total = GEMMWorkspace.packedSize(k: k, n: n)
        let lastPanel = (n / nr) &* k &* nr
        if n % nr != 0 { (packed + lastPanel).update(repeating: 0, count: total &- lastPanel) }
        if transposed {
            expandPixelMajor(g, input: input, images: images, into: packed, panelStride: k &* nr)
        } else {
            expandPatchMajor(g, input: input, images: images, into: packed, panelStride: k &* nr)
        }
    }

    /// Element (pixel l, patch row r) at (r/nr)·panelStride + l·nr + r%nr: for each pixel, walk the patch.
    private static func expandPixelMajor(_ g: WindowGeometry, input: UnsafePointer<Float>, images: Int,
                                         into packed: UnsafeMutablePointer<Float>, panelStride: Int) {
        let nr = GEMMWorkspace.nr
        let imageSize = g.channels &* g.inputPixels
        var l = 0
        for image in 0..<images {
            let x = input + image &* imageSize
            for oy in 0..<g.outHeight {
                let iy0 = oy &* g.strideY &- g.padTop
                for ox in 0..<g.outWidth {
                    let ix0 = ox &* g.strideX &- g.padLeft
                    let interior = iy0 >= 0 && iy0 &+ g.kernelHeight <= g.height && ix0 >= 0 && ix0 &+ g.kernelWidth <= g.width
                    var panel = packed + l &* nr
                    var lane = 0
                    for c in 0..<g.channels {
                        let plane = x + c &* g.inputPixels
                        for ky in 0..<g.kernelHeight {
                            let iy = iy0 &+ ky
                            let row = plane + iy &* g.width
                            let rowInside = iy >= 0 && iy < g.height
                            for kx in 0..<g.kernelWidth {
                                let ix = ix0 &+ kx
                                panel[lane] = interior || (rowInside && ix >= 0 && ix < g.width) ? row[ix] : 0
                                lane &+= 1
                                if lane == nr {
                                    lane = 0
                                    panel += panelStride
                                }
                            }
                        }
                    }
                    l &+= 1
                }
            }
        }
    }

    /// Element (patch row r, pixel l) at (l/nr)·panelStride + r·nr + l%nr: for each patch row, walk the pixels.
    private static func expandPatchMajor(_ g: WindowGeometry, input: UnsafePointer<Float>, images: Int,
                                         into packed: UnsafeMutablePointer<Float>, panelStride: Int) {
        let nr = GEMMWorkspace.nr
        let imageSize = g.channels &* g.inputPixels
        for c in 0..<g.channels {
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let r = (c &* g.kernelHeight &+ ky) &* g.kernelWidth &+ kx
                    let (first, end) = g.validColumns(kx: kx)
                    var panel = packed + r &* nr
                    var lane = 0
                    for image in 0..<images {
                        let plane = input + image &* imageSize + c &* g.inputPixels
                        for oy in 0..<g.outHeight {
                            let iy = oy &* g.strideY &- g.padTop &+ ky
                            let inside = iy >= 0 && iy < g.height
                            let source = plane + (iy &* g.width &- g.padLeft &+ kx)
                            for ox in 0..<g.outWidth {
                                panel[lane] = inside && ox >= first && ox < end ? source[ox &* g.strideX] : 0
                                lane &+= 1
                                if lane == nr {
                                    lane = 0
                                    panel += panelStride
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
