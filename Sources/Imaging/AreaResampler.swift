/// Separable resampling with precomputed taps: area averaging when shrinking (each output pixel is the mean
/// of the source area it covers, so thin strokes fade instead of vanishing as with nearest-neighbour) and
/// bilinear interpolation when enlarging.
struct AreaResampler {
    /// Per output index: the first source index, tap count and offset into `weights`.
    struct Taps {
        var first: [Int] = []
        var count: [Int] = []
        var offset: [Int] = []
        var weights: [Float] = []

        /// Output pixel j covers source [origin + j/scale, origin + (j+1)/scale) of `sourceCount` pixels.
        init(sourceCount: Int, outputCount: Int, scale: Double, origin: Double) {
            for j in 0..<outputCount {
                offset.append(weights.count)
                if scale <= 1 {
                    let start = origin + Double(j) / scale, end = origin + Double(j + 1) / scale
                    let lower = max(0, Int(start.rounded(.down))), upper = min(sourceCount, Int(end.rounded(.up)))
                    first.append(lower)
                    for i in lower..<max(lower, upper) {
                        let covered = min(end, Double(i + 1)) - max(start, Double(i))
                        weights.append(Float(max(0, covered) * scale))
                    }
                    count.append(max(0, upper - lower))
                } else {
                    let center = origin + (Double(j) + 0.5) / scale - 0.5
                    let left = Int(center.rounded(.down)), fraction = center - Double(left)
                    let a = min(max(left, 0), sourceCount - 1), b = min(max(left + 1, 0), sourceCount - 1)
                    first.append(a)
                    if b == a {
                        weights.append(1)
                        count.append(1)
                    } else {
                        weights += [Float(1 - fraction), Float(fraction)]
                        count.append(2)
                    }
                }
            }
        }
    }

    /// Resamples the `region` of `source` (row-major, `sourceWidth` wide) by `scale` in both directions, the
    /// output grid starting at `origin` (region coordinates, may be fractional). The output covers the rest of
    /// the region, as Float in the source's units.
    static func resample(_ source: [UInt8], sourceWidth: Int, region: PixelBox, scale: Double, origin: (x: Double, y: Double) = (0, 0)) -> (pixels: [Float], width: Int, height: Int) {
        let outWidth = max(1, Int(((Double(region.width) - origin.x) * scale).rounded(.up)))
        let outHeight = max(1, Int(((Double(region.height) - origin.y) * scale).rounded(.up)))
        let horizontal = Taps(sourceCount: region.width, outputCount: outWidth, scale: scale, origin: origin.x)
        let vertical = Taps(sourceCount: region.height, outputCount: outHeight, scale: scale, origin: origin.y)

        // Horizontal pass over the region's rows.
        var rows = [Float](repeating: 0, count: region.height * outWidth)
        source.withUnsafeBufferPointer { pixels in
            rows.withUnsafeMutableBufferPointer { out in
                horizontal.weights.withUnsafeBufferPointer { weights in
                    for y in 0..<region.height {
                        let base = (region.minY + y) * sourceWidth + region.minX
                        for j in 0..<outWidth {
                            var sum: Float = 0
                            let first = horizontal.first[j], offset = horizontal.offset[j]
                            for tap in 0..<horizontal.count[j] {
                                sum += weights[offset + tap] * Float(pixels[base + first + tap])
                            }
                            out[y * outWidth + j] = sum
                        }
                    }
                }
            }
        }
        // Vertical pass.
        var result = [Float](repeating: 0, count: outWidth * outHeight)
        for i in 0..<outHeight {
            let first = vertical.first[i], offset = vertical.offset[i]
            for tap in 0..<vertical.count[i] {
                let weight = vertical.weights[offset + tap], rowBase = (first + tap) * outWidth
                for j in 0..<outWidth { result[i * outWidth + j] += weight * rows[rowBase + j] }
            }
        }
        return (result, outWidth, outHeight)
    }
}
