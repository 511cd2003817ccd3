import CInt8Kernels

/// The AVX2 microkernels (CInt8Kernels/conv_avx2.c): same arguments, entered only when the CPU has AVX2.
public enum AVX2Kernels {
    public static func convolution(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights blob: UnsafeRawPointer) {
        var args = VNNIKernels.arguments(l, scratch: scratch, weights: blob)
        digits_conv_avx2(&args)
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
