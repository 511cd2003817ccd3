/// Where an activation tensor lives in a predictor's scratch memory. Every activation is stored as
/// `u = q + 128` (UInt8, the form VNNI multiplies), HWC: a pixel's channels are contiguous, rows are
/// `rowStride` bytes apart, and a border around the interior may hold the zero point as padding.
public struct TensorPlacement: Sendable, Hashable {
    /// Byte offset of (y 0, x 0, channel 0).
    public var offset: Int
    public var height: Int
    public var width: Int
    public var channels: Int
    public var rowStride: Int
    /// The zero point in stored form (zp + 128): the value of real 0.
    public var zero: Int32

    public init(offset: Int, height: Int, width: Int, channels: Int, rowStride: Int, zero: Int32) {
        self.offset = offset
        self.height = height
        self.width = width
        self.channels = channels
        self.rowStride = rowStride
        self.zero = zero
    }

    @inlinable
    public func byteOffset(y: Int, x: Int, channel: Int) -> Int { offset + y * rowStride + x * channels + channel }

    /// Offset of element `index` of the tensor in CHW order (the order flatten and the logits use).
    @inlinable
    public func byteOffset(chw index: Int) -> Int {
        let plane = height * width
        let c = index / plane, rest = index % plane
        return byteOffset(y: rest / width, x: rest % width, channel: c)
    }
}

/// A requantization step `(acc × multiplier + 2^(shift−1)) >> shift`, then `+ zero` and clamp to [min, max],
/// all in stored form (docs/quantization.md §2).
public struct Requantization: Sendable, Hashable {
    public var multiplier: Int64
    public var shift: Int64
    public var zero: Int32
    public var min: Int32
    public var max: Int32

    public init(multiplier: Int64, shift: Int64, zero: Int32, min: Int32, max: Int32) {
        self.multiplier = multiplier
        self.shift = shift
        self.zero = zero
        self.min = min
        self.max = max
    }

    @inlinable
    public func apply(_ acc: Int64) -> UInt8 {
        let v = (acc &* multiplier &+ (1 &<< (shift &- 1))) &>> shift
        return Requantization.finish(v, zero: zero, min: min, max: max)
    }

    /// Saturating to ±1024 first is invisible after the final clamp and keeps the sum from overflowing.
    @inlinable
    public static func finish(_ value: Int64, zero: Int32, min lo: Int32, max hi: Int32) -> UInt8 {
        let c = Int32(truncatingIfNeeded: Swift.min(Swift.max(value, -1024), 1024)) &+ zero
        return UInt8(truncatingIfNeeded: Swift.min(Swift.max(c, lo), hi))
    }
}
