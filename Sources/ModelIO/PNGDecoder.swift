import CPNG
import CPNGShim
import Foundation

/// Decodes PNGs of every color type and bit depth (gray 1–16, gray+alpha, RGB, RGBA, palette with or without
/// tRNS, Adam7) to 8-bit luminance: Rec. 601 luma Y = (299 R + 587 G + 114 B) / 1000 on the stored values
/// (no gamma handling), 16-bit samples rounded to 8 bits, alpha composited on white.
public enum PNGDecoder {
    /// 40 megapixels: larger than any phone photo or A4 scan at 600 dpi (≈ 35 MP).
    public static let defaultMaxPixels = 40_000_000

    public static func decode(_ bytes: [UInt8], source: String, maxPixels: Int = defaultMaxPixels) throws(PNGError) -> GrayImage {
        let header = try PNGHeader.parse(bytes, source: source)
        try header.check(maxPixels: maxPixels, source: source)
        var pixels = [UInt8](repeating: 0, count: header.pixelCount)
        var info = digits_png_info()
        let status = bytes.withUnsafeBufferPointer { input in
            pixels.withUnsafeMutableBufferPointer { output in
                digits_png_decode_luma(input.baseAddress, input.count, UInt32(header.width), UInt32(header.height), output.baseAddress, &info)
            }
        }
        guard status == Int32(DIGITS_PNG_OK.rawValue) else {
            throw failure(status: status, info: &info, byteCount: bytes.count, source: source)
        }
        return GrayImage(width: header.width, height: header.height, pixels: pixels)
    }

    public static func decode(_ data: Data, source: String, maxPixels: Int = defaultMaxPixels) throws(PNGError) -> GrayImage {
        try decode([UInt8](data), source: source, maxPixels: maxPixels)
    }

    /// Reads the header first, so a non-PNG or over-limit file is rejected without reading all of it.
    public static func decode(contentsOf path: String, maxPixels: Int = defaultMaxPixels) throws(PNGError) -> GrayImage {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PNGError(source: path, kind: .io, reason: FileManager.default.fileExists(atPath: path) ? "cannot open the file for reading" : "no such file")
        }
        defer { try? handle.close() }
        do {
            let head = try handle.read(upToCount: PNGHeader.minimumByteCount) ?? Data()
            if head.count == PNGHeader.minimumByteCount {
                try PNGHeader.parse(head, source: path).check(maxPixels: maxPixels, source: path)
            }
            let rest = try handle.readToEnd() ?? Data()
            return try decode([UInt8](head) + [UInt8](rest), source: path, maxPixels: maxPixels)
        } catch let error as PNGError {
            throw error
        } catch {
            throw PNGError(source: path, kind: .io, reason: "cannot read the file: \(error.localizedDescription)")
        }
    }

    private static func failure(status: Int32, info: inout digits_png_info, byteCount: Int, source: String) -> PNGError {
        let message = withUnsafeBytes(of: &info.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        switch UInt32(bitPattern: status) {
        case DIGITS_PNG_TRUNCATED.rawValue:
            return PNGError(source: source, kind: .truncated, reason: "truncated PNG: the data ends after \(byteCount) bytes, before the image is complete")
        case DIGITS_PNG_NO_MEMORY.rawValue:
            return PNGError(source: source, kind: .io, reason: "out of memory decoding the PNG (\(message))")
        default:
            return PNGError(source: source, kind: .corrupt, reason: "corrupt PNG: \(message.isEmpty ? "libpng rejected the data" : message)")
        }
    }
}

extension PNGDecoder {
    /// The libpng version linked at run time, e.g. "1.6.39" (for `digits info` and bug reports).
    public static var libpngVersion: String { String(cString: png_get_libpng_ver(nil)) }
}
