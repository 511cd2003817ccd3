/// Swift-SIMD kernels that build and run on any CPU Swift supports. They read the same packed weights as the
/// VNNI kernels and compute the same integers: 64 lanes hold the 16 channels × 4 bytes of one `vpdpbusd`, the
/// u8 × s8 products fit in Int16 (255 × 127), and the 4-byte sums are folded only once per output.
public enum PortableKernels {
    /// Four input bytes repeated over 64 Int16 lanes (lane 4j + i holds byte i).
    @inlinable @inline(__always)
    static func spread(_ x: UInt32) -> SIMD64<Int16> {
        let v = UInt64(x)
        let pattern = (v & 0xFF) | (v & 0xFF00) << 8 | (v & 0xFF_0000) << 16 | (v & 0xFF00_0000) << 24
        return unsafeBitCast(SIMD16<UInt64>(repeating: pattern), to: SIMD64<Int16>.self)
    }

    /// Σ over `groups` runs of 4 bytes at `input`, weights at `weights` (64 bytes per run), for 16 channels.
    @inlinable @inline(__always)
    static func dot(_ input: UnsafeRawPointer, _ weights: UnsafeRawPointer, groups: Int,
                    into acc: inout SIMD64<Int32>) {
        for g in 0..<groups {
            let x = spread(input.loadUnaligned(fromByteOffset: 4 * g, as: UInt32.self))
            let w = SIMD64<Int16>(truncatingIfNeeded: weights.loadUnaligned(fromByteOffset: 64 * g, as: SIMD64<Int8>.self))
            acc &+= SIMD64<Int32>(truncatingIfNeeded: w &* x)
        }
    }

    /// Folds the 4 bytes of each channel, requantizes and stores `count` (≤ 16) channels.
    @inlinable @inline(__always)
    static func finish(_ acc: SIMD64<Int32>, _ l: ConvolutionLayer, _ blob: UnsafeRawPointer, channel: Int,
                       count: Int, to out: UnsafeMutableRawPointer) {
        let pairs = acc.evenHalf &+ acc.oddHalf
        let sums = pairs.evenHalf &+ pairs.oddHalf
        let bias = blob + l.bias + 4 * channel, m = blob + l.multiplier + 8 * channel
        let r = blob + l.rounding + 8 * channel, s = blob + l.shift + 8 * channel
        for i in 0..<count {
            let total = Int64(sums[i] &+ bias.load(fromByteOffset: 4 * i, as: Int32.self))
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
                    var acc = SIMD64<Int32>(repeating: 0)
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
