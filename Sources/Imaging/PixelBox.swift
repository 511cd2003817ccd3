/// An axis-aligned rectangle of pixels, inclusive of `minX…maxX` and `minY…maxY`.
public struct PixelBox: Sendable, Equatable, CustomStringConvertible {
    public var minX: Int
    public var minY: Int
    public var maxX: Int
    public var maxY: Int

    public init(minX: Int, minY: Int, maxX: Int, maxY: Int) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    public var width: Int { maxX - minX + 1 }
    public var height: Int { maxY - minY + 1 }

    public func union(_ other: PixelBox) -> PixelBox {
        PixelBox(minX: min(minX, other.minX), minY: min(minY, other.minY), maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }

    /// Columns shared with `other` (0 when the x-ranges don't overlap).
    public func horizontalOverlap(with other: PixelBox) -> Int {
        max(0, min(maxX, other.maxX) - max(minX, other.minX) + 1)
    }

    public var description: String { "x \(minX)…\(maxX), y \(minY)…\(maxY)" }
}
