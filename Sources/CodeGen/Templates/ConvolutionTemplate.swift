import Runtime

/// conv2d (groups 1) and dense: constants for the packed-weight kernels (VNNI microkernel or portable SIMD).
enum ConvolutionTemplate {
    static func constant(_ l: ConvolutionLayer, indent: String) -> String {
        SwiftLiteral.call("ConvolutionLayer", arguments(l) + (l.pairedPixels ? [("pairedPixels", "true")] : []), indent: indent)
    }

    static func arguments(_ l: ConvolutionLayer) -> [(String, String)] {
        [
            ("input", "\(l.input)"), ("inRowStride", "\(l.inRowStride)"), ("inPixelStride", "\(l.inPixelStride)"),
            ("strideY", "\(l.strideY)"), ("strideX", "\(l.strideX)"), ("kernelH", "\(l.kernelH)"),
            ("kernelRowBytes", "\(l.kernelRowBytes)"), ("output", "\(l.output)"), ("outRowStride", "\(l.outRowStride)"),
            ("outPixelStride", "\(l.outPixelStride)"), ("outH", "\(l.outH)"), ("outW", "\(l.outW)"),
            ("outChannels", "\(l.outChannels)"), ("weights", "\(l.weights)"), ("bias", "\(l.bias)"),
            ("multiplier", "\(l.multiplier)"), ("rounding", "\(l.rounding)"), ("shift", "\(l.shift)"),
            ("outZero", "\(l.outZero)"), ("outMin", "\(l.outMin)"), ("outMax", "\(l.outMax)"),
        ]
    }

    static func call(_ name: String, dense: Bool) -> String {
        "Kernels.\(dense ? "dense" : "convolution")(Layout.\(name), scratch: s, weights: w, path: path)"
    }

    /// A convolution and the max pool that is its only reader, in one call.
    static func call(_ name: String, pooledBy pool: String) -> String {
        "Kernels.convolution(Layout.\(name), pooledBy: Layout.\(pool), scratch: s, weights: w, path: path)"
    }
}

/// Depthwise convolution: per-channel taps, unpacked weights.
enum DepthwiseTemplate {
    static func constant(_ l: DepthwiseLayer, indent: String) -> String {
        SwiftLiteral.call("DepthwiseLayer", [
            ("input", "\(l.input)"), ("inRowStride", "\(l.inRowStride)"), ("inPixelStride", "\(l.inPixelStride)"),
            ("strideY", "\(l.strideY)"), ("strideX", "\(l.strideX)"), ("kernelH", "\(l.kernelH)"),
            ("kernelW", "\(l.kernelW)"), ("multiplier", "\(l.multiplier)"), ("output", "\(l.output)"),
            ("outRowStride", "\(l.outRowStride)"), ("outH", "\(l.outH)"), ("outW", "\(l.outW)"),
            ("outChannels", "\(l.outChannels)"), ("weights", "\(l.weights)"), ("bias", "\(l.bias)"),
            ("requantMultiplier", "\(l.requantMultiplier)"), ("rounding", "\(l.rounding)"), ("shift", "\(l.shift)"),
            ("outZero", "\(l.outZero)"), ("outMin", "\(l.outMin)"), ("outMax", "\(l.outMax)"),
        ], indent: indent)
    }

    static func call(_ name: String) -> String {
        "Kernels.depthwise(Layout.\(name), scratch: s, weights: w, path: path)"
    }
}
