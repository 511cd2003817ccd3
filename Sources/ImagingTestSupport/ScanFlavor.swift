import ModelIO

/// Every way a scan reaches us as a PNG: the `ScanEncoding` cases plus low bit depths (1/2/4-bit gray,
/// 4-bit palette), 16-bit colour, palette with tRNS alpha, gray+alpha 8 and interlaced gray. All decode to the
/// same luminance up to the quantisation of low bit depths.
public enum ScanFlavor: CaseIterable, Sendable, CustomStringConvertible {
    case encoding(ScanEncoding)
    case gray1, gray2, gray4, palette4, paletteTransparent, rgb16, rgba16Interlaced, grayAlpha8, grayInterlaced16

    public static var allCases: [ScanFlavor] {
        ScanEncoding.allCases.map { .encoding($0) }
            + [.gray1, .gray2, .gray4, .palette4, .paletteTransparent, .rgb16, .rgba16Interlaced, .grayAlpha8, .grayInterlaced16]
    }

    public var description: String {
        switch self {
        case .encoding(let encoding): "\(encoding)"
        case .gray1: "gray1"
        case .gray2: "gray2"
        case .gray4: "gray4"
        case .palette4: "palette4"
        case .paletteTransparent: "paletteTransparent"
        case .rgb16: "rgb16"
        case .rgba16Interlaced: "rgba16Interlaced"
        case .grayAlpha8: "grayAlpha8"
        case .grayInterlaced16: "grayInterlaced16"
        }
    }

    /// zlib level 1 by default: these are bulk test images, and noisy scans compress slowly at higher levels.
    public func encode(_ image: GrayImage, compressionLevel level: Int32 = 1) -> [UInt8] {
        let (w, h) = (image.width, image.height)
        let gray = image.pixels.map(UInt16.init)
        // Low bit depths use the scan's own range (a scanner's auto levels): darkest → 0, lightest → top.
        let darkest = Double(image.pixels.min() ?? 0), lightest = Double(image.pixels.max() ?? 255)
        func levels(_ depth: Int) -> [UInt16] {
            let top = Double((1 << depth) - 1), range = max(1, lightest - darkest)
            return gray.map { UInt16(((Double($0) - darkest) * top / range).rounded()) }
        }
        switch self {
        case .encoding(let encoding):
            return encoding.encode(image, compressionLevel: level)
        case .gray1:
            // A black-and-white scan: threshold half-way between the darkest and lightest pixel.
            let cut = (Int(image.pixels.min() ?? 0) + Int(image.pixels.max() ?? 255)) / 2
            return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 1, samples: gray.map { Int($0) > cut ? 1 : 0 }, compressionLevel: level)
        case .gray2:
            return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 2, samples: levels(2), compressionLevel: level)
        case .gray4:
            return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 4, samples: levels(4), compressionLevel: level)
        case .palette4:
            let palette = (0..<16).flatMap { i -> [UInt8] in let v = UInt8(i * 17); return [v, v, v] }
            return RawPNG.encode(width: w, height: h, colorType: .palette, bitDepth: 4, samples: levels(4), palette: palette, compressionLevel: level)
        case .paletteTransparent:
            // Black ink whose opacity is the darkness: 256 entries of black with tRNS alpha 255 − v.
            let palette = [UInt8](repeating: 0, count: 3 * 256)
            let alpha = (0..<256).map { UInt8(255 - $0) }
            return RawPNG.encode(width: w, height: h, colorType: .palette, bitDepth: 8, samples: gray, palette: palette, transparency: alpha, compressionLevel: level)
        case .rgb16:
            return RawPNG.encode(width: w, height: h, colorType: .rgb, bitDepth: 16, samples: RawPNG.expand(image.pixels, channels: 3) { v, _ in v * 257 }, compressionLevel: level)
        case .rgba16Interlaced:
            return RawPNG.encode(width: w, height: h, colorType: .rgba, bitDepth: 16, samples: RawPNG.expand(image.pixels, channels: 4) { v, c in c == 3 ? 65535 : v * 257 }, interlaced: true, compressionLevel: level)
        case .grayAlpha8:
            return RawPNG.encode(width: w, height: h, colorType: .grayAlpha, bitDepth: 8, samples: RawPNG.expand(image.pixels, channels: 2) { v, c in c == 1 ? 255 - v : 0 }, compressionLevel: level)
        case .grayInterlaced16:
            return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 16, samples: gray.map { $0 * 257 }, interlaced: true, compressionLevel: level)
        }
    }
}
