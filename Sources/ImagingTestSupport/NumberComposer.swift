import ModelIO

/// Writes several MNIST digits in a row, like a number on a form, and remembers where each one's ink went.
public struct NumberComposer {
    public var renderer: ScanRenderer

    public init(renderer: ScanRenderer = ScanRenderer()) {
        self.renderer = renderer
    }

    /// Ink columns (pixels > 0) of a 28×28 digit.
    public static func inkColumns(_ digit: [UInt8]) -> ClosedRange<Int> {
        let columns = (0..<28).filter { x in (0..<28).contains { digit[$0 * 28 + x] > 0 } }
        return (columns.first ?? 0)...(columns.last ?? 27)
    }

    /// Places `digits` left to right at `scale`, `gap` pixels between consecutive ink extents (negative: overlap),
    /// each shifted vertically by `jitter[k]`. Returns the image and each digit's horizontal ink extent.
    public func compose(_ digits: [[UInt8]], scale: Double, gap: Double, jitter: [Double]? = nil, margin: Double = 30) -> (image: GrayImage, extents: [ClosedRange<Double>]) {
        compose(digits, scale: scale, gaps: [Double](repeating: gap, count: max(0, digits.count - 1)), jitter: jitter, margin: margin)
    }

    /// As above with `gaps[k]` between digit k and k + 1.
    public func compose(_ digits: [[UInt8]], scale: Double, gaps: [Double], jitter: [Double]? = nil, margin: Double = 30) -> (image: GrayImage, extents: [ClosedRange<Double>]) {
        var placements: [(pixels: [UInt8], originX: Double, originY: Double, scale: Double)] = []
        var extents: [ClosedRange<Double>] = []
        var cursor = margin
        for (k, digit) in digits.enumerated() {
            let columns = Self.inkColumns(digit)
            // The rendered ink of column c spans about [(c - 0.5) · scale, (c + 1.5) · scale] from the origin.
            let originX = cursor - (Double(columns.lowerBound) - 0.5) * scale
            let right = originX + (Double(columns.upperBound) + 1.5) * scale
            placements.append((digit, originX, margin + (jitter?[k] ?? 0), scale))
            extents.append(cursor...right)
            cursor = right + (k < gaps.count ? gaps[k] : 0)
        }
        let width = Int((extents.last?.upperBound ?? margin) + margin), height = Int(28 * scale + 2 * margin + (jitter?.map(abs).max() ?? 0))
        return (renderer.render(placements, width: width, height: height), extents)
    }
}
