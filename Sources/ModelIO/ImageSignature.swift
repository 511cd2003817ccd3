/// Recognises image (and a few other) formats by their leading magic bytes, to say what a non-PNG upload is.
public enum ImageSignature {
    /// The 8-byte PNG signature: \x89 P N G \r \n \x1A \n.
    public static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func isPNG(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: png)
    }

    /// A short name for the format the bytes look like ("a JPEG image", "a PDF document"), or nil if unknown.
    public static func formatName(of bytes: some Collection<UInt8>) -> String? {
        let head = Array(bytes.prefix(16))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }

        if starts([0xFF, 0xD8, 0xFF]) { return "a JPEG image" }
        if ascii("GIF87a") || ascii("GIF89a") { return "a GIF image" }
        if ascii("RIFF") && ascii("WEBP", at: 8) { return "a WebP image" }
        if ascii("BM") && head.count >= 14 { return "a BMP image" }
        if ascii("%PDF") { return "a PDF document" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "a TIFF image" }
        if ascii("ftyp", at: 4) && (ascii("heic", at: 8) || ascii("heix", at: 8) || ascii("mif1", at: 8)) { return "a HEIC image" }
        if ascii("ftyp", at: 4) && ascii("avif", at: 8) { return "an AVIF image" }
        if starts([0x00, 0x00, 0x01, 0x00]) { return "an ICO icon" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "a ZIP archive" }
        if starts([0x1F, 0x8B]) { return "a gzip file" }
        if ascii("<svg") || ascii("<?xml") { return "an SVG/XML document" }
        if ascii("<!DOCTYPE") || ascii("<!doctype") || ascii("<html") { return "an HTML document" }
        // A PNG whose line endings were rewritten by a text-mode transfer.
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "a PNG damaged by a text-mode transfer (signature bytes altered)" }
        return nil
    }

    /// Hex of the first `count` bytes, for messages: "FF D8 FF E0".
    static func hexPrefix(_ bytes: some Collection<UInt8>, count: Int = 8) -> String {
        bytes.prefix(count).map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }
}
