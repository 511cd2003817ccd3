import CInt8Kernels

/// The AVX2 microkernels (CInt8Kernels/conv_avx2.c): same arguments, entered only when the CPU has AVX2.
public enum AVX2Kernels {
    public static func convolution(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights blob: UnsafeRawPointer) {
        var args = VNNIKernels.arguments(l, scratch: scratch, weights: blob)
        digits_conv_avx2(&args)
    }

    /// The fused convolution + 2×2 max pool (the same conditions as the VNNI one); false (nothing done) when the
    /// pair does not qualify or a Winograd kernel takes the convolution (it runs faster unfused).
    public static func convolutionPooled(_ l: ConvolutionLayer, pool: PoolLayer, scratch: UnsafeMutableRawPointer,
                                         weights blob: UnsafeRawPointer) -> Bool {
        guard var args = VNNIKernels.pooledArguments(l, pool: pool, scratch: scratch, weights: blob) else { return false }
        return digits_conv_pool_avx2(&args) != 0
    }

    public static func dense(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights blob: UnsafeRawPointer) {
        var args = VNNIKernels.denseArguments(l, scratch: scratch, weights: blob)
        digits_dense_avx2(&args)
    }

    public static func add(_ l: AddLayer, scratch: UnsafeMutableRawPointer) {
        var args = VNNIKernels.addArguments(l, scratch: scratch)
        digits_add2_avx2(&args)
    }

    /// False (nothing done) when a row is too wide for the kernel's row buffers; the caller runs the portable one.
    public static func maxPool2x2(_ l: PoolLayer, scratch: UnsafeMutableRawPointer) -> Bool {
        var args = VNNIKernels.poolArguments(l, scratch: scratch)
        return digits_max_pool_2x2_avx2(&args) != 0
    }
}
