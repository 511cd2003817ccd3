import Foundation
import ModelIO

/// Renders MNIST digits the way a scan of handwriting looks: dark ink on light paper, anywhere on a larger
/// canvas, at any scale, optionally noisy.
public struct ScanRenderer {
    public var paper: Double = 245
    public var ink: Double = 25
    /// Standard deviation of Gaussian noise added to every pixel.
    public var noise: Double = 0

    public init(paper: Double = 245, ink: Double = 25, noise: Double = 0) {
        self.paper = paper
        self.ink = ink
        self.noise = noise
    }

    /// A canvas of paper with each digit (28×28, ink = 255 as in MNIST) drawn with its top-left corner at
    /// `origin` and enlarged by `scale` (bilinear).
    public func render(_ digits: [(pixels: [UInt8], originX: Double, originY: Double, scale: Double)], width: Int, height: Int, seed: UInt64 = 1) -> GrayImage {
        var coverage = [Double](repeating: 0, count: width * height)
        for digit in digits {
            let size = 28 * digit.scale
            let x0 = max(0, Int(digit.originX.rounded(.down))), x1 = min(width - 1, Int((digit.originX + size).rounded(.up)))
            let y0 = max(0, Int(digit.originY.rounded(.down))), y1 = min(height - 1, Int((digit.originY + size).rounded(.up)))
            guard x0 <= x1, y0 <= y1 else { continue }
            for y in y0...y1 {
                let v = (Double(y) + 0.5 - digit.originY) / digit.scale - 0.5
                for x in x0...x1 {
                    let u = (Double(x) + 0.5 - digit.originX) / digit.scale - 0.5
                    coverage[y * width + x] = max(coverage[y * width + x], Self.bilinear(digit.pixels, u, v))
                }
            }
        }
        var random = TestRandom(seed: seed)
        var pixels = [UInt8](repeating: 0, count: width * height)
        for index in pixels.indices {
            var value = paper + (ink - paper) * coverage[index]
            if noise > 0 { value += noise * Self.gaussian(&random) }
            pixels[index] = UInt8(max(0, min(255, value.rounded())))
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    public func render(_ digit: [UInt8], width: Int, height: Int, originX: Double, originY: Double, scale: Double, seed: UInt64 = 1) -> GrayImage {
        render([(digit, originX, originY, scale)], width: width, height: height, seed: seed)
    }

    /// Samples a 28×28 digit (0…1) at pixel coordinates (u, v); outside is 0.
    public static func bilinear(_ digit: [UInt8], _ u: Double, _ v: Double) -> Double {
        let x0 = Int(u.rounded(.down)), y0 = Int(v.rounded(.down))
        let fx = u - Double(x0), fy = v - Double(y0)
        func at(_ x: Int, _ y: Int) -> Double {
            x >= 0 && x < 28 && y >= 0 && y < 28 ? Double(digit[y * 28 + x]) / 255 : 0
        }
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }

    public static func gaussian(_ random: inout TestRandom) -> Double {
        let u1 = Double.random(in: Double.ulpOfOne...1, using: &random), u2 = Double.random(in: 0...1, using: &random)
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}
