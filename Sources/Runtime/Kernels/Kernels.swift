import CInt8Kernels

/// The entry points generated predictors call, one per layer kind, choosing the instruction family by `path`.
/// Only `.avx512vnni` enters code compiled for AVX-512; `KernelPath.select` guarantees the CPU has it.
public enum Kernels {
    /// Whether this binary contains the VNNI microkernels (x86-64 only).
    public static var vnniCompiled: Bool { digits_vnni_compiled() != 0 }

    /// Whether this binary contains the AVX2 microkernels (x86-64 only).
    public static var avx2Compiled: Bool { digits_avx2_compiled() != 0 }

    /// Drops what the AVX2 kernels derived and cached from the packed weights in `blob` (Winograd and tap-pair
    /// re-layouts, keyed by address). Call before freeing a weight blob that is not static; no prediction may be
    /// running on it.
    public static func forgetDerivedWeights(in blob: UnsafeRawPointer, byteCount: Int) {
        digits_forget_weights(blob, Int64(byteCount))
    }

    /// The path a predictor actually runs for a requested one: portable when this binary lacks the kernels.
    public static func effectivePath(_ requested: KernelPath) -> KernelPath {
        switch requested {
        case .avx512vnni: vnniCompiled ? .avx512vnni : .portable
        case .avx2: avx2Compiled ? .avx2 : .portable
        case .portable: .portable
        }
    }

    @inlinable @inline(__always)
    public static func convolution(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights: UnsafeRawPointer,
                                   path: KernelPath) {
        if path == .avx512vnni {
            if l.pairedPixels {
                VNNIKernels.convolutionPairs(l, scratch: scratch, weights: weights)
            } else {
                VNNIKernels.convolution(l, scratch: scratch, weights: weights)
            }
        } else if path == .avx2 {
            AVX2Kernels.convolution(l, scratch: scratch, weights: weights)
        } else {
            PortableKernels.convolution(l, scratch: scratch, weights: weights)
        }
    }

    /// A convolution followed by its only reader, a max pool (the generator emits this call when the graph says
    /// nothing else reads the convolution's output). On the VNNI and AVX2 paths a 2×2 stride-2 pool is fused into
    /// the convolution (`digits_conv_pool_vnni`, `digits_conv_pool_avx2`: the maximum is taken over int32
    /// accumulators, then one requantization per pooled output); on the portable path, or when the shapes do not
    /// qualify (on AVX2 also: a layer a Winograd kernel takes), the two layers run one after the other. Same bytes in the pool's output either way; the convolution's own output is then unused.
    @inlinable @inline(__always)
    public static func convolution(_ l: ConvolutionLayer, pooledBy pool: PoolLayer, scratch: UnsafeMutableRawPointer,
                                   weights: UnsafeRawPointer, path: KernelPath) {
        if path == .avx512vnni && VNNIKernels.convolutionPooled(l, pool: pool, scratch: scratch, weights: weights) { return }
        if path == .avx2 && AVX2Kernels.convolutionPooled(l, pool: pool, scratch: scratch, weights: weights) { return }
        convolution(l, scratch: scratch, weights: weights, path: path)
        maxPool(pool, scratch: scratch, path: path)
    }

    /// A dense layer is a 1×1 "convolution" over one pixel whose row is the whole input vector.
    @inlinable @inline(__always)
    public static func dense(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights: UnsafeRawPointer,
                             path: KernelPath) {
        if path == .avx512vnni {
            VNNIKernels.dense(l, scratch: scratch, weights: weights)
        } else if path == .avx2 {
            AVX2Kernels.dense(l, scratch: scratch, weights: weights)
        } else {
            PortableKernels.convolution(l, scratch: scratch, weights: weights)
        }
    }

    /// One dense layer for the `count` images whose scratches are `group.bases[0..<count]`: on the VNNI path
    /// one pass over the weights for all of them (a large layer streams its weights from L2 once per group),
    /// elsewhere `dense` per image. Same integers either way.
    public static func denseGroup(_ l: ConvolutionLayer, group: ScratchGroup, count: Int, weights: UnsafeRawPointer,
                                  path: KernelPath) {
        if path == .avx512vnni && count > 1 {
            VNNIKernels.denseGroup(l, group: group, count: count, weights: weights)
        } else {
            for n in 0..<count { dense(l, scratch: group.bases[n], weights: weights, path: path) }
        }
    }

    /// Residual add of two inputs: the AVX2 kernel on both x86 paths (on Zen 4 it beats the AVX-512 one, 1.75 vs
    /// 7.5 µs for 16×28×28, by working in 32-bit lanes; `.avx512vnni` requires AVX2 too), else the portable loop.
    @inlinable @inline(__always)
    public static func add(_ l: AddLayer, scratch: UnsafeMutableRawPointer, path: KernelPath) {
        if path >= .avx2 && l.inputs.count == 2 {
            AVX2Kernels.add(l, scratch: scratch)
        } else {
            PortableKernels.add(l, scratch: scratch)
        }
    }

    /// Max pool: the AVX-512 kernel for 2×2 windows at stride 2 without padding, else the portable loop.
    @inlinable @inline(__always)
    public static func maxPool(_ l: PoolLayer, scratch: UnsafeMutableRawPointer, path: KernelPath) {
        let plain2x2 = l.kernelH == 2 && l.kernelW == 2 && l.strideY == 2 && l.strideX == 2 && l.padTop == 0
            && l.padLeft == 0 && 2 * l.output.height <= l.input.height && 2 * l.output.width <= l.input.width
        if path == .avx512vnni && plain2x2 {
            VNNIKernels.maxPool2x2(l, scratch: scratch)
        } else if path == .avx2 && plain2x2 && AVX2Kernels.maxPool2x2(l, scratch: scratch) {
            return
        } else {
            PortableKernels.maxPool(l, scratch: scratch)
        }
    }

    /// Depthwise layers run the portable kernel on every path (none of the shipped specs has one).
    @inlinable @inline(__always)
    public static func depthwise(_ l: DepthwiseLayer, scratch: UnsafeMutableRawPointer, weights: UnsafeRawPointer,
                                 path: KernelPath) {
        PortableKernels.depthwise(l, scratch: scratch, weights: weights)
    }
}

extension VNNIKernels {
    /// The int8 multiply-accumulate rate a tight vpdpbusd loop reaches now, in MAC/s (nil without VNNI).
    public static func measuredPeak(seconds: Double = 0.4) -> Double? {
        guard KernelPath.avx512vnni.isSupported(by: .current), Kernels.vnniCompiled else { return nil }
        // Many short rounds, the best one: on a shared machine some round runs undisturbed.
        var best = 0.0
        for _ in 0..<40 {
            let iterations: Int64 = 20_000
            let start = ContinuousClock.now
            var rounds: Int64 = 0
            var elapsed = 0.0
            repeat {
                _ = digits_vnni_peak_loop(iterations)
                rounds += 1
                let d = ContinuousClock.now - start
                elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            } while elapsed < seconds / 40
            best = max(best, Double(rounds * iterations * 24 * 64) / elapsed)
        }
        return best
    }
}

/// Thin wrappers filling the C argument structs; the microkernels live in CInt8Kernels/conv_vnni.c.
public enum VNNIKernels {
    public static func convolution(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights blob: UnsafeRawPointer) {
        var args = arguments(l, scratch: scratch, weights: blob)
        digits_conv_vnni(&args)
    }

    /// The fused convolution + 2×2 max pool; false (nothing done) when the pair does not qualify.
    public static func convolutionPooled(_ l: ConvolutionLayer, pool: PoolLayer, scratch: UnsafeMutableRawPointer,
                                         weights blob: UnsafeRawPointer) -> Bool {
        guard var args = pooledArguments(l, pool: pool, scratch: scratch, weights: blob) else { return false }
        return digits_conv_pool_vnni(&args) != 0
    }

    /// The convolution's arguments with the pooled tensor as output, or nil when the pair cannot be fused: the
    /// pool must be 2×2, stride 2, unpadded, read exactly the convolution's (even-sized, unpaired) output and keep
    /// its zero point.
    static func pooledArguments(_ l: ConvolutionLayer, pool: PoolLayer, scratch: UnsafeMutableRawPointer,
                                weights blob: UnsafeRawPointer) -> digits_conv_args? {
        let (input, output) = (pool.input, pool.output)
        guard !l.pairedPixels, pool.kernelH == 2, pool.kernelW == 2, pool.strideY == 2, pool.strideX == 2,
              pool.padTop == 0, pool.padLeft == 0, input.offset == l.output, input.rowStride == l.outRowStride,
              input.channels == l.outChannels, l.outPixelStride == l.outChannels, l.outH % 2 == 0, l.outW % 2 == 0,
              output.height == l.outH / 2, output.width == l.outW / 2, output.channels == l.outChannels,
              output.zero == input.zero else { return nil }
        var args = arguments(l, scratch: scratch, weights: blob)
        args.output = (scratch + output.offset).assumingMemoryBound(to: UInt8.self)
        args.out_row_stride = Int64(output.rowStride)
        args.out_pixel_stride = Int64(output.channels)
        return args
    }

    public static func convolutionPairs(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights blob: UnsafeRawPointer) {
        var args = arguments(l, scratch: scratch, weights: blob)
        digits_conv_pairs_vnni(&args)
    }

    static func arguments(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights blob: UnsafeRawPointer) -> digits_conv_args {
        digits_conv_args(
            input: UnsafePointer((scratch + l.input).assumingMemoryBound(to: UInt8.self)),
            weights: (blob + l.weights).assumingMemoryBound(to: Int8.self),
            bias: (blob + l.bias).assumingMemoryBound(to: Int32.self),
            multiplier: (blob + l.multiplier).assumingMemoryBound(to: Int64.self),
            rounding: (blob + l.rounding).assumingMemoryBound(to: Int64.self),
            shift: (blob + l.shift).assumingMemoryBound(to: Int64.self),
            output: (scratch + l.output).assumingMemoryBound(to: UInt8.self),
            in_row_stride: Int64(l.inRowStride), in_pixel_stride: Int64(l.inPixelStride),
            out_row_stride: Int64(l.outRowStride), out_pixel_stride: Int64(l.outPixelStride),
            stride_y: Int32(l.strideY), stride_x: Int32(l.strideX), kernel_h: Int32(l.kernelH), groups: Int32(l.groups),
            out_h: Int32(l.outH), out_w: Int32(l.outW), out_channels: Int32(l.outChannels),
            out_zero: l.outZero, out_min: l.outMin, out_max: l.outMax, pairs: l.pairedPixels ? 1 : 0)
    }

    public static func maxPool2x2(_ l: PoolLayer, scratch: UnsafeMutableRawPointer) {
        var args = poolArguments(l, scratch: scratch)
        digits_max_pool_2x2_vnni(&args)
    }

    static func poolArguments(_ l: PoolLayer, scratch: UnsafeMutableRawPointer) -> digits_pool_args {
        let (input, output) = (l.input, l.output)
        return digits_pool_args(
            input: UnsafePointer((scratch + input.offset).assumingMemoryBound(to: UInt8.self)),
            output: (scratch + output.offset).assumingMemoryBound(to: UInt8.self),
            in_row_stride: Int64(input.rowStride), out_row_stride: Int64(output.rowStride),
            channels: Int32(input.channels), in_h: Int32(input.height), in_w: Int32(input.width),
            out_h: Int32(output.height), out_w: Int32(output.width), kernel_h: 2, kernel_w: 2, stride_y: 2,
            stride_x: 2, pad_top: 0, pad_left: 0)
    }

    public static func add(_ l: AddLayer, scratch: UnsafeMutableRawPointer) {
        var args = addArguments(l, scratch: scratch)
        digits_add2_vnni(&args)
    }

    static func addArguments(_ l: AddLayer, scratch: UnsafeMutableRawPointer) -> digits_add2_args {
        let (a, b, out) = (l.inputs[0], l.inputs[1], l.output)
        return digits_add2_args(
            input0: UnsafePointer((scratch + a.offset).assumingMemoryBound(to: UInt8.self)),
            input1: UnsafePointer((scratch + b.offset).assumingMemoryBound(to: UInt8.self)),
            output: (scratch + out.offset).assumingMemoryBound(to: UInt8.self),
            row_stride0: Int64(a.rowStride), row_stride1: Int64(b.rowStride), out_row_stride: Int64(out.rowStride),
            rows: Int32(out.height), row_bytes: Int32(out.width * out.channels), zero0: a.zero, zero1: b.zero,
            multiplier0: l.multipliers[0], multiplier1: l.multipliers[1], shift: l.shift,
            out_zero: out.zero, out_min: l.outMin, out_max: l.outMax)
    }

    public static func dense(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights blob: UnsafeRawPointer) {
        var args = denseArguments(l, scratch: scratch, weights: blob)
        digits_dense_vnni(&args)
    }

    static func denseGroup(_ l: ConvolutionLayer, group: ScratchGroup, count: Int, weights blob: UnsafeRawPointer) {
        var args = denseArguments(l, scratch: group.bases[0], weights: blob)
        withUnsafeTemporaryAllocation(of: UnsafePointer<UInt8>?.self, capacity: count) { inputs in
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<UInt8>?.self, capacity: count) { outputs in
                for n in 0..<count {
                    inputs[n] = UnsafePointer((group.bases[n] + l.input).assumingMemoryBound(to: UInt8.self))
                    outputs[n] = (group.bases[n] + l.output).assumingMemoryBound(to: UInt8.self)
                }
                digits_dense_group_vnni(&args, inputs.baseAddress, outputs.baseAddress, Int32(count))
            }
        }
    }

    static func denseArguments(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights blob: UnsafeRawPointer) -> digits_dense_args {
        digits_dense_args(
            input: UnsafePointer((scratch + l.input).assumingMemoryBound(to: UInt8.self)),
            weights: (blob + l.weights).assumingMemoryBound(to: Int8.self),
            bias: (blob + l.bias).assumingMemoryBound(to: Int32.self),
            multiplier: (blob + l.multiplier).assumingMemoryBound(to: Int64.self),
            rounding: (blob + l.rounding).assumingMemoryBound(to: Int64.self),
            shift: (blob + l.shift).assumingMemoryBound(to: Int64.self),
            output: (scratch + l.output).assumingMemoryBound(to: UInt8.self),
            groups: Int32(l.groups), units: Int32(l.outChannels),
            out_zero: l.outZero, out_min: l.outMin, out_max: l.outMax)
    }
}
