import CZlib

/// A PNG encoder written from the specification, independent of libpng, so decoder tests don't check libpng
/// against itself. Samples are given per channel, row-major, already in 0..<2^bitDepth (palette: indices).
public enum RawPNG {
    public enum ColorType: UInt8, Sendable {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6

        public var channels: Int {
            switch self {
            case .gray, .palette: 1
            case .grayAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }
    }

    public static func encode(
        width: Int, height: Int, colorType: ColorType, bitDepth: Int, samples: [UInt16],
        palette: [UInt8]? = nil, transparency: [UInt8]? = nil, interlaced: Bool = false, compressionLevel: Int32 = 6
    ) -> [UInt8] {
        precondition(samples.count == width * height * colorType.channels)
        var ihdr = be32(UInt32(width)) + be32(UInt32(height))
        ihdr += [UInt8(bitDepth), colorType.rawValue, 0, 0, interlaced ? 1 : 0]
        var file = ImageSignaturePNG.bytes + chunk("IHDR", ihdr)
        if let palette { file += chunk("PLTE", palette) }
        if let transparency { file += chunk("tRNS", transparency) }
        let raw = scanlines(width: width, height: height, channels: colorType.channels, bitDepth: bitDepth, samples: samples, interlaced: interlaced)
        file += chunk("IDAT", deflate(raw, level: compressionLevel))
        file += chunk("IEND", [])
        return file
    }

    /// Filter-type-0 scanlines, per Adam7 pass when interlaced (empty passes contribute nothing).
    public static func scanlines(width: Int, height: Int, channels: Int, bitDepth: Int, samples: [UInt16], interlaced: Bool) -> [UInt8] {
        let passes: [(Int, Int, Int, Int)] = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        var out: [UInt8] = []
        for (x0, y0, dx, dy) in passes {
            let xs = Array(stride(from: x0, to: width, by: dx)), ys = Array(stride(from: y0, to: height, by: dy))
            guard !xs.isEmpty, !ys.isEmpty else { continue }
            var row: [UInt16] = []
            row.reserveCapacity(xs.count * channels)
            for y in ys {
                out.append(0)
                row.removeAll(keepingCapacity: true)
                if dx == 1 {
                    row += samples[(y * width) * channels..<(y * width + width) * channels]
                } else {
                    for x in xs { for c in 0..<channels { row.append(samples[(y * width + x) * channels + c]) } }
                }
                out += pack(row, bitDepth: bitDepth)
            }
        }
        return out
    }

    /// `channels` samples per gray pixel, `sample(gray, channel)` each (a loop: flatMap over array literals
    /// allocates per pixel and made megapixel test images slow).
    public static func expand(_ gray: [UInt8], channels: Int, _ sample: (UInt16, Int) -> UInt16) -> [UInt16] {
        var out = [UInt16]()
        out.reserveCapacity(gray.count * channels)
        for value in gray {
            for channel in 0..<channels { out.append(sample(UInt16(value), channel)) }
        }
        return out
    }

    public static func pack(_ row: [UInt16], bitDepth: Int) -> [UInt8] {
        switch bitDepth {
        case 16: return row.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case 8: return row.map { UInt8($0) }
        default:
            var bytes: [UInt8] = [], current = 0, used = 0
            for value in row {
                current = (current << bitDepth) | Int(value)
                used += bitDepth
                if used == 8 { bytes.append(UInt8(current)); current = 0; used = 0 }
            }
            if used > 0 { bytes.append(UInt8(current << (8 - used))) }
            return bytes
        }
    }

    public static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc(body))
    }

    public static func crc(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    /// zlib stream of `bytes`; level 1 is several times faster on noisy scans (bulk test images).
    public static func deflate(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { output in
            bytes.withUnsafeBufferPointer { input in compress2(output.baseAddress, &length, input.baseAddress, uLong(input.count), level) }
        }
        precondition(status == Z_OK)
        return Array(out.prefix(Int(length)))
    }

    public static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// Offsets of each chunk: (type, offset of its length field, data length).
    public static func chunks(in file: [UInt8]) -> [(type: String, offset: Int, length: Int)] {
        var result: [(String, Int, Int)] = []
        var offset = 8
        while offset + 8 <= file.count {
            let length = file[offset..<offset + 4].reduce(0) { ($0 << 8) | Int($1) }
            result.append((String(decoding: file[offset + 4..<offset + 8], as: UTF8.self), offset, length))
            offset += 12 + length
        }
        return result
    }
}

public enum ImageSignaturePNG {
    public static let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
}
