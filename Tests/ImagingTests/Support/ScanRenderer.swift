import Foundation
import ModelIO

/// Renders MNIST digits the way a scan of handwriting looks: dark ink on light paper, anywhere on a larger
/// canvas, at any scale, optionally noisy.
struct ScanRenderer {
    var paper: Double = 245
    var ink: Double = 25
    /// Standard deviation of Gaussian noise added to every pixel.
    var noise: Double = 0

    /// A canvas of paper with each digit (28×28, ink = 255 as in MNIST) drawn with its top-left corner at
    /// `origin` and enlarged by `scale` (bilinear).
    func render(_ digits: [(pixels: [UInt8], originX: Double, originY: Double, scale: Double)], width: Int, height: Int, seed: UInt64 = 1) -> GrayImage {
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

    func render(_ digit: [UInt8], width: Int, height: Int, originX: Double, originY: Double, scale: Double, seed: UInt64 = 1) -> GrayImage {
        render([(digit, originX, originY, scale)], width: width, height: height, seed: seed)
    }

    /// Samples a 28×28 digit (0…1) at pixel coordinates (u, v); outside is 0.
    static func bilinear(_ digit: [UInt8], _ u: Double, _ v: Double) -> Double {
        let x0 = Int(u.rounded(.down)), y0 = Int(v.rounded(.down))
        let fx = u - Double(x0), fy = v - Double(y0)
        func at(_ x: Int, _ y: Int) -> Double {
            x >= 0 && x < 28 && y >= 0 && y < 28 ? Double(digit[y * 28 + x]) / 255 : 0
        }
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }

    static func gaussian(_ random: inout TestRandom) -> Double {
        let u1 = Double.random(in: Double.ulpOfOne...1, using: &random), u2 = Double.random(in: 0...1, using: &random)
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}

/// Encodes a gray scan as one of several PNG flavours (all decoding to the same luminance, or to paper
/// where alpha makes it transparent).
enum ScanEncoding: CaseIterable, Sendable {
    case gray8, gray16, rgb8, rgbInterlaced, rgbaTransparentPaper, palette8, grayAlpha16


    func encode(_ image: GrayImage) -> [UInt8] {
        let gray = image.pixels.map(UInt16.init)
        let (w, h) = (image.width, image.height)
        switch self {
        case .gray8: return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 8, samples: gray)
        case .gray16: return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 16, samples: gray.map { $0 * 257 })
        case .rgb8: return RawPNG.encode(width: w, height: h, colorType: .rgb, bitDepth: 8, samples: gray.flatMap { [$0, $0, $0] })
        case .rgbInterlaced: return RawPNG.encode(width: w, height: h, colorType: .rgb, bitDepth: 8, samples: gray.flatMap { [$0, $0, $0] }, interlaced: true)
        case .rgbaTransparentPaper:
            // Ink as opaque black with alpha = darkness: over white this gives back the same gray.
            return RawPNG.encode(width: w, height: h, colorType: .rgba, bitDepth: 8, samples: gray.flatMap { [0, 0, 0, 255 - $0] })
        case .palette8:
            return RawPNG.encode(width: w, height: h, colorType: .palette, bitDepth: 8, samples: gray, palette: (0..<256).flatMap { [UInt8($0), UInt8($0), UInt8($0)] })
        case .grayAlpha16:
            return RawPNG.encode(width: w, height: h, colorType: .grayAlpha, bitDepth: 16, samples: gray.flatMap { [0, (255 - $0) * 257] })
        }
    }
}

/// Measures between 28×28 digits.
enum DigitDistance {
    static func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        Double(zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.count)
    }

    /// The smallest mean absolute difference over whole-pixel shifts of `b` by up to `radius` pixels.
    static func bestShiftedDifference(_ a: [UInt8], _ b: [UInt8], radius: Int = 1) -> Double {
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

    static func centerOfMass(_ pixels: [UInt8]) -> (x: Double, y: Double) {
        var mass = 0.0, sx = 0.0, sy = 0.0
        for (index, value) in pixels.enumerated() {
            mass += Double(value)
            sx += Double(value) * Double(index % 28)
            sy += Double(value) * Double(index / 28)
        }
        return (sx / mass, sy / mass)
    }

    /// Bounding box (width, height) of pixels above `threshold`.
    static func inkSize(_ pixels: [UInt8], threshold: UInt8 = 127) -> (width: Int, height: Int) {
        let points = pixels.indices.filter { pixels[$0] > threshold }
        guard let minX = points.map({ $0 % 28 }).min(), let maxX = points.map({ $0 % 28 }).max(),
              let minY = points.map({ $0 / 28 }).min(), let maxY = points.map({ $0 / 28 }).max() else { return (0, 0) }
        return (maxX - minX + 1, maxY - minY + 1)
    }
}
