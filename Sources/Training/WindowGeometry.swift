import NetSpec

/// Sizes of a sliding-window layer (convolution or pool) on one CHW image, padding resolved.
struct WindowGeometry {
    let channels: Int, height: Int, width: Int
    let kernelHeight: Int, kernelWidth: Int
    let strideY: Int, strideX: Int
    let padTop: Int, padLeft: Int
    let outHeight: Int, outWidth: Int

    init(input: Shape, kernel: Size2, stride: Size2, padding: Padding) {
        channels = input.channels
        height = input.height
        width = input.width
        kernelHeight = kernel.height
        kernelWidth = kernel.width
        strideY = stride.height
        strideX = stride.width
        let vertical = padding.amounts(input: height, kernel: kernel.height, stride: stride.height)
        let horizontal = padding.amounts(input: width, kernel: kernel.width, stride: stride.width)
        padTop = vertical.before
        padLeft = horizontal.before
        outHeight = vertical.output
        outWidth = horizontal.output
    }

    var inputPixels: Int { height * width }
    var outputPixels: Int { outHeight * outWidth }
    var kernelArea: Int { kernelHeight * kernelWidth }
    /// Rows of the im2col matrix: one per (channel, ky, kx).
    var patchSize: Int { channels * kernelArea }

    /// Output columns `[first, end)` whose input column `ox*strideX - padLeft + kx` lies inside the image.
    @inline(__always)
    func validColumns(kx: Int) -> (Int, Int) {
        let offset = kx - padLeft
        // ox*sx + offset >= 0  and  ox*sx + offset < width
        let first = offset >= 0 ? 0 : (-offset + strideX - 1) / strideX
        let end = width - offset <= 0 ? 0 : min(outWidth, (width - offset + strideX - 1) / strideX)
        return (first, max(first, end))
    }
}
