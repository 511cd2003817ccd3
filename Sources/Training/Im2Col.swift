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
                            if g.strideX == 1 {
                                if end > first { (destination + first).update(from: source + first, count: end - first) }
                            } else {
                                for ox in first..<end { destination[ox] = source[ox * g.strideX] }
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
}
