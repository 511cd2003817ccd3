/// Stroke width of a digit's binarized ink, and thickening of thin strokes.
enum StrokeWidth {
    /// Mean stroke width in pixels of the ink (nonzero) inside `box` of a binary image whose outermost pixels
    /// are paper: area ÷ half the boundary (a W-wide line of length L has area L·W and about 2L boundary
    /// pixels; lines 1–2 pixels wide read as 2). Large boxes are sampled on a sparser grid of pixels, which
    /// keeps the ratio and bounds the cost at about 10,000 pixels.
    static func estimate(_ pixels: [UInt8], width: Int, height: Int, box: PixelBox) -> Double {
        guard width > 2, height > 2 else { return 0 }
        let step = max(1, Int((Double(box.width * box.height) / 10_000).squareRoot()))
        var area = 0, boundary = 0
        pixels.withUnsafeBufferPointer { mask in
            for y in stride(from: max(1, box.minY), through: min(height - 2, box.maxY), by: step) {
                for x in stride(from: max(1, box.minX), through: min(width - 2, box.maxX), by: step) where mask[y * width + x] != 0 {
                    area += 1
                    let index = y * width + x
                    if mask[index - 1] == 0 || mask[index + 1] == 0 || mask[index - width] == 0 || mask[index + width] == 0 { boundary += 1 }
                }
            }
        }
        return boundary > 0 ? Double(area) / (Double(boundary) / 2) : 0
    }

    /// Binary dilation by a (2·radius+1)² square, separably: a pixel becomes 255 when any pixel within
    /// `radius` along the row (then the column) is nonzero, counted with running sums.
    static func dilate(_ pixels: inout [UInt8], width: Int, height: Int, radius: Int) {
        var rows = [UInt8](repeating: 0, count: pixels.count)
        var prefix = [Int](repeating: 0, count: max(width, height) + 1)
        for y in 0..<height {
            for x in 0..<width { prefix[x + 1] = prefix[x] + (pixels[y * width + x] > 0 ? 1 : 0) }
            for x in 0..<width where prefix[min(width, x + radius + 1)] - prefix[max(0, x - radius)] > 0 {
                rows[y * width + x] = 255
            }
        }
        for x in 0..<width {
            for y in 0..<height { prefix[y + 1] = prefix[y] + (rows[y * width + x] > 0 ? 1 : 0) }
            for y in 0..<height {
                pixels[y * width + x] = prefix[min(height, y + radius + 1)] - prefix[max(0, y - radius)] > 0 ? 255 : 0
            }
        }
    }
}
