/// Measures between 28×28 digits.
public enum DigitDistance {
    public static func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        Double(zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.count)
    }

    /// The smallest mean absolute difference over whole-pixel shifts of `b` by up to `radius` pixels.
    public static func bestShiftedDifference(_ a: [UInt8], _ b: [UInt8], radius: Int = 1) -> Double {
        var best = Double.infinity
        for dy in -radius...radius {
            for dx in -radius...radius {
                var shifted = [UInt8](repeating: 0, count: 784)
                for y in 0..<28 {
                    for x in 0..<28 where (0..<28).contains(x - dx) && (0..<28).contains(y - dy) {
                        shifted[y * 28 + x] = b[(y - dy) * 28 + x - dx]
                    }
                }
                best = min(best, meanAbsoluteDifference(a, shifted))
            }
        }
        return best
    }

    public static func centerOfMass(_ pixels: [UInt8]) -> (x: Double, y: Double) {
        var mass = 0.0, sx = 0.0, sy = 0.0
        for (index, value) in pixels.enumerated() {
            mass += Double(value)
            sx += Double(value) * Double(index % 28)
            sy += Double(value) * Double(index / 28)
        }
        return (sx / mass, sy / mass)
    }

    /// Bounding box (width, height) of pixels above `threshold`.
    public static func inkSize(_ pixels: [UInt8], threshold: UInt8 = 127) -> (width: Int, height: Int) {
        let points = pixels.indices.filter { pixels[$0] > threshold }
        guard let minX = points.map({ $0 % 28 }).min(), let maxX = points.map({ $0 % 28 }).max(),
              let minY = points.map({ $0 / 28 }).min(), let maxY = points.map({ $0 / 28 }).max() else { return (0, 0) }
        return (maxX - minX + 1, maxY - minY + 1)
    }
}
