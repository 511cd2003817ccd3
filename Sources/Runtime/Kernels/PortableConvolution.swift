/// Swift-SIMD kernels that build and run on any CPU Swift supports. They read the same packed weights as the
/// VNNI kernels and compute the same integers: a run of 64 weight bytes is 16 Int32 lanes (one per output
/// channel) of 4 bytes each, which shifts sign-extend in place, so only lane-wise SIMD16<Int32> operations are
/// needed (no shuffles, no widening conversions, which Swift compiles element by element).
public enum PortableKernels {
    /// Σ over `groups` runs of 4 bytes at `input`, weights at `weights` (64 bytes per run), for 16 channels.
    @inlinable @inline(__always)
    static func dot(_ input: UnsafeRawPointer, _ weights: UnsafeRawPointer, groups: Int,
                    into acc: inout SIMD16<Int32>) {
        for g in 0..<groups {
            let x = input.loadUnaligned(fromByteOffset: 4 * g, as: UInt32.self)
            let words = weights.loadUnaligned(fromByteOffset: 64 * g, as: SIMD16<Int32>.self)
            // Little-endian: byte i of each word is the weight for input byte i.
            acc &+= ((words &<< 24) &>> 24) &* Int32(x & 0xFF)
            acc &+= ((words &<< 16) &>> 24) &* Int32((x >> 8) & 0xFF)
            acc &+= ((words &<< 8) &>> 24) &* Int32((x >> 16) & 0xFF)
            acc &+= (words &>> 24) &* Int32(x >> 24)
        }
    }

    /// Requantizes and stores `count` (≤ 16) channels. Channel c sits in lane 2c (c < 8) or 2(c − 8) + 1, as the
    /// VNNI kernel's requantization wants; the bias is in lane order too.
    @inlinable @inline(__always)
    static func finish(_ sums: SIMD16<Int32>, _ l: ConvolutionLayer, _ blob: UnsafeRawPointer, channel: Int,
                       count: Int, to out: UnsafeMutableRawPointer) {
        let bias = blob + l.bias + 4 * channel, m = blob + l.multiplier + 8 * channel
        let r = blob + l.rounding + 8 * channel, s = blob + l.shift + 8 * channel
        for i in 0..<count {
            let lane = i < 8 ? 2 * i : 2 * (i - 8) + 1
            let total = Int64(sums[lane] &+ bias.load(fromByteOffset: 4 * lane, as: Int32.self))
            let v = (total &* m.load(fromByteOffset: 8 * i, as: Int64.self) &+ r.load(fromByteOffset: 8 * i, as: Int64.self))
                &>> s.load(fromByteOffset: 8 * i, as: Int64.self)
            out.storeBytes(of: Requantization.finish(v, zero: l.outZero, min: l.outMin, max: l.outMax),
                           toByteOffset: i, as: UInt8.self)
        }
    }

    @inlinable
    public static func convolution(_ l: ConvolutionLayer, scratch: UnsafeMutableRawPointer, weights blob: UnsafeRawPointer) {
        let groups = l.groups
        let blockStride = l.kernelH * groups * 64
        for oy in 0..<l.outH {
            for ox in 0..<l.outW {
                let origin = UnsafeRawPointer(scratch + l.input + oy * l.strideY * l.inRowStride + ox * l.strideX * l.inPixelStride)
                let out = scratch + l.output + oy * l.outRowStride + ox * l.outPixelStride
                for block in 0..<l.channelBlocks {
                    var acc = SIMD16<Int32>(repeating: 0)
                    for ky in 0..<l.kernelH {
                        dot(origin + ky * l.inRowStride, blob + l.weights + block * blockStride + ky * groups * 64,
                            groups: groups, into: &acc)
                    }
                    finish(acc, l, blob, channel: 16 * block, count: min(16, l.outChannels - 16 * block),
                           to: out + 16 * block)
                }
            }
        }
    }

    @inlinable
    public static func depthwise(_ l: DepthwiseLayer, scratch: UnsafeMutableRawPointer, weights blob: UnsafeRawPointer) {
        let w = (blob + l.weights).assumingMemoryBound(to: Int8.self)
        let bias = (blob + l.bias).assumingMemoryBound(to: Int32.self)
        let m = (blob + l.requantMultiplier).assumingMemoryBound(to: Int64.self)
        let r = (blob + l.rounding).assumingMemoryBound(to: Int64.self)
        let s = (blob + l.shift).assumingMemoryBound(to: Int64.self)
        let taps = l.kernelH * l.kernelW
        for oy in 0..<l.outH {
            for ox in 0..<l.outW {
                let origin = scratch + l.input + oy * l.strideY * l.inRowStride + ox * l.strideX * l.inPixelStride
                let out = scratch + l.output + oy * l.outRowStride + ox * l.outChannels
                for oc in 0..<l.outChannels {
                    let ic = oc / l.multiplier
                    var acc = bias[oc]
                    for ky in 0..<l.kernelH {
                        for kx in 0..<l.kernelW {
                            let u = origin.load(fromByteOffset: ky * l.inRowStride + kx * l.inPixelStride + ic, as: UInt8.self)
                            acc &+= Int32(u) &* Int32(w[oc * taps + ky * l.kernelW + kx])
                        }
                    }
                    let v = (Int64(acc) &* m[oc] &+ r[oc]) &>> s[oc]
                    out.storeBytes(of: Requantization.finish(v, zero: l.outZero, min: l.outMin, max: l.outMax),
                                   toByteOffset: oc, as: UInt8.self)
                }
            }
        }
    }
}
