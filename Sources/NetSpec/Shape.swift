/// The shape of one example's activation (no batch dimension): `[C, H, W]` for feature maps,
/// `[N]` for flat feature vectors. Layout in memory is always row-major CHW, as in PyTorch.
public struct Shape: Sendable, Hashable, Codable, CustomStringConvertible {
    public var dims: [Int]

    public init(_ dims: [Int]) { self.dims = dims }
    public init(channels: Int, height: Int, width: Int) { self.dims = [channels, height, width] }
    public init(features: Int) { self.dims = [features] }

    public var isSpatial: Bool { dims.count == 3 }
    public var isFlat: Bool { dims.count == 1 }
    public var elementCount: Int { dims.reduce(1, *) }

    /// Channels of a feature map, or features of a flat vector.
    public var channels: Int { dims.first ?? 0 }
    public var height: Int { isSpatial ? dims[1] : 1 }
    public var width: Int { isSpatial ? dims[2] : 1 }

    /// `64x26x26` or `10`, the notation specs use.
    public var description: String { dims.map(String.init).joined(separator: "x") }
}

/// A height × width pair (kernel sizes, strides, pool windows).
public struct Size2: Sendable, Hashable, Codable, CustomStringConvertible {
    public var height: Int
    public var width: Int

    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    public init(square: Int) { self.init(square, square) }

    public var description: String { height == width ? "\(height)" : "\(height)x\(width)" }
}
