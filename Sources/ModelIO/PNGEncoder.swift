import CPNGShim
import Foundation

/// Writes 8-bit gray or RGB PNGs (non-interlaced, default zlib level) through libpng.
public enum PNGEncoder {
    public static func encode(_ image: GrayImage) throws(PNGError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 1)
    }

    public static func encode(_ image: RGBImage) throws(PNGError) -> [UInt8] {
        try encode(pixels: image.pixels, width: image.width, height: image.height, channels: 3)
    }

    /// Encodes and writes atomically (temporary file + rename).
    public static func write(_ image: GrayImage, to path: String) throws(PNGError) {
        try write(encodeFor(path) { () throws(PNGError) in try encode(image) }, to: path)
    }

    public static func write(_ image: RGBImage, to path: String) throws(PNGError) {
        try write(encodeFor(path) { () throws(PNGError) in try encode(image) }, to: path)
    }

    private static func encodeFor(_ path: String, _ body: () throws(PNGError) -> [UInt8]) throws(PNGError) -> [UInt8] {
        do {
            return try body()
        } catch {
            throw PNGError(source: path, kind: error.kind, reason: error.reason)
        }
    }

    private static func write(_ bytes: [UInt8], to path: String) throws(PNGError) {
        do {
            try AtomicFile.write(Data(bytes), to: path)
        } catch {
            throw PNGError(source: path, kind: .io, reason: error.reason)
        }
    }

    private static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int32) throws(PNGError) -> [UInt8] {
        guard width > 0, height > 0, width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw PNGError(source: "PNG", kind: .encoding, reason: "cannot encode a \(width)×\(height) image: PNG needs 1…2^31-1 pixels per side")
        }
        var buffer = digits_png_buffer()
        let status = pixels.withUnsafeBufferPointer { input in
            digits_png_encode(input.baseAddress, UInt32(width), UInt32(height), channels, &buffer)
        }
        defer { digits_png_free(buffer.bytes) }
        guard status == Int32(DIGITS_PNG_OK.rawValue), let bytes = buffer.bytes else {
            let message = withUnsafeBytes(of: &buffer.message) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            throw PNGError(source: "PNG", kind: .encoding, reason: "cannot encode the PNG: \(message.isEmpty ? "libpng failed" : message)")
        }
        return [UInt8](UnsafeBufferPointer(start: bytes, count: buffer.size))
    }
}
