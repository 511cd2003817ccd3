import ModelIO

/// Encodes a gray scan as one of several PNG flavours (all decoding to the same luminance, or to paper
/// where alpha makes it transparent).
public enum ScanEncoding: CaseIterable, Sendable {
    case gray8, gray16, rgb8, rgbInterlaced, rgbaTransparentPaper, palette8, grayAlpha16


    public func encode(_ image: GrayImage) -> [UInt8] {
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
