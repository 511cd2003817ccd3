/// Constants of one convolution (groups 1) or dense layer, as the generator writes them. Offsets are into the
/// scratch (activations) or the weight blob. See `CInt8Kernels/include/int8_kernels.h` for the packed layout:
/// weights [outChannels/16][kernelH][groups][16][4], where a kernel row's `kernelRowBytes` contiguous HWC input
/// bytes are cut into `groups` runs of 4 (zero weights past the row).
public struct ConvolutionLayer: Sendable, Hashable {
    /// Scratch offset of the input byte under tap (0, 0) for output (0, 0) (inside the padding border).
    public var input: Int
    public var inRowStride: Int
    public var inPixelStride: Int
    public var strideY: Int
    public var strideX: Int
    public var kernelH: Int
    /// kernel width × input channels.
    public var kernelRowBytes: Int
    public var output: Int
    public var outRowStride: Int
    public var outPixelStride: Int
    public var outH: Int
    public var outW: Int
    public var outChannels: Int
    /// Weight-blob offsets (64-byte aligned) of the packed weights and the per-channel int32 bias and int64
    /// multiplier, rounding term 2^(shift−1) and shift, each padded to a multiple of 16 channels.
    public var weights: Int
    public var bias: Int
    public var multiplier: Int
    public var rounding: Int
    public var shift: Int
    /// Stored form: zero point + 128, qmin + 128, qmax + 128.
    public var outZero: Int32
    public var outMin: Int32
    public var outMax: Int32
    /// ≤ 8 output channels packed for two pixels per register (`digits_conv_pairs_vnni`); the portable kernel
    /// reads the even lanes, which hold the usual layout.
    public var pairedPixels: Bool

    public init(input: Int, inRowStride: Int, inPixelStride: Int, strideY: Int, strideX: Int, kernelH: Int,
                kernelRowBytes: Int, output: Int, outRowStride: Int, outPixelStride: Int, outH: Int, outW: Int,
                outChannels: Int, weights: Int, bias: Int, multiplier: Int, rounding: Int, shift: Int,
                outZero: Int32, outMin: Int32, outMax: Int32, pairedPixels: Bool = false) {
        self.input = input
        self.inRowStride = inRowStride
        self.inPixelStride = inPixelStride
        self.strideY = strideY
        self.strideX = strideX
        self.kernelH = kernelH
        self.kernelRowBytes = kernelRowBytes
        self.output = output
        self.outRowStride = outRowStride
        self.outPixelStride = outPixelStride
        self.outH = outH
        self.outW = outW
        self.outChannels = outChannels
        self.weights = weights
        self.bias = bias
        self.multiplier = multiplier
        self.rounding = rounding
        self.shift = shift
        self.outZero = outZero
        self.outMin = outMin
        self.outMax = outMax
        self.pairedPixels = pairedPixels
    }

    /// Runs of 4 input bytes per kernel row.
    @inlinable public var groups: Int { (kernelRowBytes + 3) / 4 }
    @inlinable public var channelBlocks: Int { (outChannels + 15) / 16 }
}

/// A depthwise convolution: output channel `oc` reads input channel `oc / multiplier`. Weights are
/// [outChannels][kernelH][kernelW] int8 (unpacked); bias etc. as in `ConvolutionLayer`.
public struct DepthwiseLayer: Sendable, Hashable {
    public var input: Int
    public var inRowStride: Int
    public var inPixelStride: Int
    public var strideY: Int
    public var strideX: Int
    public var kernelH: Int
    public var kernelW: Int
    public var multiplier: Int
    public var output: Int
    public var outRowStride: Int
    public var outH: Int
    public var outW: Int
    public var outChannels: Int
    public var weights: Int
    public var bias: Int
    public var requantMultiplier: Int
    public var rounding: Int
    public var shift: Int
    public var outZero: Int32
    public var outMin: Int32
    public var outMax: Int32

    public init(input: Int, inRowStride: Int, inPixelStride: Int, strideY: Int, strideX: Int, kernelH: Int,
                kernelW: Int, multiplier: Int, output: Int, outRowStride: Int, outH: Int, outW: Int, outChannels: Int,
                weights: Int, bias: Int, requantMultiplier: Int, rounding: Int, shift: Int,
                outZero: Int32, outMin: Int32, outMax: Int32) {
        self.input = input
        self.inRowStride = inRowStride
        self.inPixelStride = inPixelStride
        self.strideY = strideY
        self.strideX = strideX
        self.kernelH = kernelH
        self.kernelW = kernelW
        self.multiplier = multiplier
        self.output = output
        self.outRowStride = outRowStride
        self.outH = outH
        self.outW = outW
        self.outChannels = outChannels
        self.weights = weights
        self.bias = bias
        self.requantMultiplier = requantMultiplier
        self.rounding = rounding
        self.shift = shift
        self.outZero = outZero
        self.outMin = outMin
        self.outMax = outMax
    }
}
