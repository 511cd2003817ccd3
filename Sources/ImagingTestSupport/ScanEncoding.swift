import ModelIO

/// Encodes a gray scan as one of several PNG flavours (all decoding to the same luminance, or to paper
/// where alpha makes it transparent).
public enum ScanEncoding: CaseIterable, Sendable {
    case gray8, gray16, rgb8, rgbInterlaced, rgbaTransparentPaper, palette8, grayAlpha16


    /// `compressionLevel` is zlib's (1 fast … 9 small); the decoded image is the same at every level.
    public func encode(_ image: GrayImage, compressionLevel level: Int32 = 6) -> [UInt8] {
        let gray = image.pixels.map(UInt16.init)
        let (w, h) = (image.width, image.height)
        switch self {
        case .gray8: return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 8, samples: gray, compressionLevel: level)
        case .gray16: return RawPNG.encode(width: w, height: h, colorType: .gray, bitDepth: 16, samples: gray.map { $0 * 257 }, compressionLevel: level)
        case .rgb8: return RawPNG.encode(width: w, height: h, colorType: .rgb, bitDepth: 8, samples: RawPNG.expand(image.pixels, channels: 3) { v, _ in v }, compressionLevel: level)
        case .rgbInterlaced: return RawPNG.encode(width: w, height: h, colorType: .rgb, bitDepth: 8, samples: RawPNG.expand(image.pixels, channels: 3) { v, _ in v }, interlaced: true, compressionLevel: level)
        case .rgbaTransparentPaper:
            // Ink as opaque black with alpha = darkness: over white this gives back the same gray.
            return RawPNG.encode(width: w, height: h, colorType: .rgba, bitDepth: 8, samples: RawPNG.expand(image.pixels, channels: 4) { v, c in c == 3 ? 255 - v : 0 }, compressionLevel: level)
        case .palette8:
            return RawPNG.encode(width: w, height: h, colorType: .palette, bitDepth: 8, samples: gray, palette: (0..<256).flatMap { [UInt8($0), UInt8($0), UInt8($0)] }, compressionLevel: level)
        case .grayAlpha16:
            return RawPNG.encode(width: w, height: h, colorType: .grayAlpha, bitDepth: 16, samples: RawPNG.expand(image.pixels, channels: 2) { v, c in c == 1 ? (255 - v) * 257 : 0 }, compressionLevel: level)
        }
    }
}
