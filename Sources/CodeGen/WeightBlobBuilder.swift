import Reference

/// Builds the generated model's weight blob: every section starts on a 64-byte boundary so the kernels can use
/// aligned 512-bit loads. Integers are little-endian (every platform Swift runs on).
struct WeightBlobBuilder {
    private(set) var bytes: [UInt8] = []

    private mutating func align() {
        while bytes.count % 64 != 0 { bytes.append(0) }
    }

    mutating func append(_ data: [UInt8]) -> Int {
        align()
        let offset = bytes.count
        bytes += data
        return offset
    }

    mutating func append(int8 values: [Int8]) -> Int { append(values.map { UInt8(bitPattern: $0) }) }

    mutating func append(int32 values: [Int32]) -> Int {
        append(values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: v) >> UInt32(8 * $0)) } })
    }

    mutating func append(int64 values: [Int64]) -> Int {
        append(values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: v) >> UInt64(8 * $0)) } })
    }

    /// Blob offsets of a weighted layer's per-channel epilogue arrays.
    struct ChannelOffsets {
        var bias: Int
        var multiplier: Int
        var rounding: Int
        var shift: Int
    }

    /// Bias for u8 activations (`bias' − 128·Σw`, docs/quantization.md §7) and the requantization arrays, padded
    /// with inert channels to `paddedCount` (a multiple of 16; padded lanes are computed but never stored).
    /// `laneOrder`: the bias goes in accumulator-lane order (`WeightPacking.lane`), for the packed kernels.
    /// `paired` (≤ 8 channels): every channel twice, in lanes 2c and 2c + 1 and in entries c and c + 8.
    mutating func appendChannels(bias: [Int32], weightSums: [Int64], requantization: [FixedPointMultiplier],
                                 paddedCount: Int, laneOrder: Bool, paired: Bool = false) -> ChannelOffsets {
        if paired {
            let count = bias.count
            let pad = 8 - count
            let biasU = zip(bias, weightSums).map { Int32(truncatingIfNeeded: Int64($0) - 128 * $1) }
            var lanes = [Int32](repeating: 0, count: 16)
            for c in 0..<count { lanes[2 * c] = biasU[c]; lanes[2 * c + 1] = biasU[c] }
            let m = requantization.map { Int64($0.multiplier) } + [Int64](repeating: 0, count: pad)
            let s = requantization.map { Int64($0.shift) } + [Int64](repeating: 1, count: pad)
            let r = s.map { Int64(1) << ($0 - 1) }
            return ChannelOffsets(bias: append(int32: lanes), multiplier: append(int64: m + m),
                                  rounding: append(int64: r + r), shift: append(int64: s + s))
        }
        let pad = paddedCount - bias.count
        // The model validation bounds |bias'| + 128·Σ|w| by 2^31 − 1, so this cannot overflow.
        var biasU = zip(bias, weightSums).map { Int32(truncatingIfNeeded: Int64($0) - 128 * $1) } + [Int32](repeating: 0, count: pad)
        if laneOrder {
            var ordered = biasU
            for c in biasU.indices { ordered[c / 16 * 16 + WeightPacking.lane(c % 16)] = biasU[c] }
            biasU = ordered
        }
        let m = requantization.map { Int64($0.multiplier) }
        let s = requantization.map { Int64($0.shift) }
        let r = s.map { Int64(1) << ($0 - 1) }
        return ChannelOffsets(
            bias: append(int32: biasU),
            multiplier: append(int64: m + [Int64](repeating: 0, count: pad)),
            rounding: append(int64: r + [Int64](repeating: 0, count: pad)),
            shift: append(int64: s + [Int64](repeating: 1, count: pad)))
    }
}

/// The packed layout the convolution and dense kernels read (see `ConvolutionLayer`).
enum WeightPacking {
    /// The accumulator lane of channel `c` (0…15) of a block: even lanes hold channels 0–7, odd lanes 8–15, so the
    /// requantization's even/odd 64-bit multiplies come out in channel order.
    static func lane(_ c: Int) -> Int { c < 8 ? 2 * c : 2 * (c - 8) + 1 }

    /// `weight(oc, ky, position)` gives the weight for byte `position` of kernel row `ky` (kx × Cin + ic), or 0.
    /// `paired`: ≤ 8 channels, channel c in lanes 2c and 2c + 1 (two pixels per register).
    static func pack(outChannels: Int, kernelH: Int, rowBytes: Int, paired: Bool = false,
                     weight: (_ oc: Int, _ ky: Int, _ position: Int) -> Int8) -> [Int8] {
        let groups = (rowBytes + 3) / 4
        let blocks = (outChannels + 15) / 16
        var packed = [Int8](repeating: 0, count: blocks * kernelH * groups * 64)
        for oc in 0..<outChannels {
            let (block, slot) = (oc / 16, Self.lane(oc % 16))
            for ky in 0..<kernelH {
                for position in 0..<rowBytes {
                    let (g, i) = (position / 4, position % 4)
                    let w = weight(oc, ky, position)
                    if paired {
                        packed[(ky * groups + g) * 64 + 2 * oc * 4 + i] = w
                        packed[(ky * groups + g) * 64 + (2 * oc + 1) * 4 + i] = w
                    } else {
                        packed[((block * kernelH + ky) * groups + g) * 64 + slot * 4 + i] = w
                    }
                }
            }
        }
        return packed
    }
}
