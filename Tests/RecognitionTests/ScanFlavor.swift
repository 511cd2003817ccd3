import ImagingTestSupport
import ModelIO

/// Every way a scan reaches us as a PNG: the `ScanEncoding` cases plus low bit depths (1/2/4-bit gray,
/// 4-bit palette), 16-bit colour, palette with tRNS alpha, gray+alpha 8 and interlaced gray. All decode to the
/// same luminance up to the quantisation of low bit depths.
enum ScanFlavor: CaseIterable, Sendable, CustomStringConvertible {
    case encoding(ScanEncoding)
    case gray1, gray2, gray4, palette4, paletteTransparent, rgb16, rgba16Interlaced, grayAlpha8, grayInterlaced16

    static var allCases: [ScanFlavor] {
        ScanEncoding.allCases.map { .encoding($0) }
            + [.gray1, .gray2, .gray4, .palette4, .paletteTransparent, .rgb16, .rgba16Interlaced, .grayAlpha8, .grayInterlaced16]
    }

    var description: String {
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

    func encode(_ image: GrayImage) -> [UInt8] {
        let (w, h) = (image.width, image.height)
        let gray = image.pixels.map(UInt16.init)
        func levels(_ depth: Int) -> [UInt16] {
            let top = Double((1 << depth) - 1)
            return gray.map { UInt16((Double($0) * top / 255).rounded()) }
        }
        switch self {
        case .encoding(let encoding):
            return encoding.encode(image)
        case .gray1:
            // A black-and-white scan: threshold half-way between the darkest and lightest pixel.
            let cut = (Int(image.pixels.min() ?? 0) + Int(image.pixels.max() ?? 255)) / 2
            return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 1, samples: gray.map { Int($0) > cut ? 1 : 0 })
        case .gray2:
            return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 2, samples: levels(2))
        case .gray4:
            return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 4, samples: levels(4))
        case .palette4:
            let palette = (0..<16).flatMap { i -> [UInt8] in let v = UInt8(i * 17); return [v, v, v] }
            return RawPNG.encode(width: w, height: h, colorType: .palette, bitDepth: 4, samples: levels(4), palette: palette)
        case .paletteTransparent:
            // Black ink whose opacity is the darkness: 256 entries of black with tRNS alpha 255 − v.
            let palette = [UInt8](repeating: 0, count: 3 * 256)
            let alpha = (0..<256).map { UInt8(255 - $0) }
            return RawPNG.encode(width: w, height: h, colorType: .palette, bitDepth: 8, samples: gray, palette: palette, transparency: alpha)
        case .rgb16:
            return RawPNG.encode(width: w, height: h, colorType: .rgb, bitDepth: 16, samples: gray.flatMap { [$0 * 257, $0 * 257, $0 * 257] })
        case .rgba16Interlaced:
            return RawPNG.encode(width: w, height: h, colorType: .rgba, bitDepth: 16, samples: gray.flatMap { [$0 * 257, $0 * 257, $0 * 257, 65535] }, interlaced: true)
        case .grayAlpha8:
            return RawPNG.encode(width: w, height: h, colorType: .grayAlpha, bitDepth: 8, samples: gray.flatMap { [0, 255 - $0] })
        case .grayInterlaced16:
            return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 16, samples: gray.map { $0 * 257 }, interlaced: true)
        }
    }
}
