/// The fields of a PNG's IHDR chunk, read straight from the bytes so limits can be enforced before libpng
/// allocates anything or inflates a single byte.
public struct PNGHeader: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var bitDepth: Int
    /// 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA.
    public var colorType: Int
    public var interlaced: Bool

    public var pixelCount: Int { width * height }

    /// Bytes needed before IHDR's fields are known: signature (8) + chunk length and type (8) + 13 data bytes.
    public static let minimumByteCount = 29

    /// Parses the signature and IHDR. Validates only what the limit check needs (signature, IHDR first,
    /// nonzero 31-bit dimensions); libpng re-validates everything, including the IHDR CRC, when decoding.
    public static func parse(_ bytes: some Collection<UInt8>, source: String) throws(PNGError) -> PNGHeader {
        let head = Array(bytes.prefix(minimumByteCount))
        guard !head.isEmpty else {
            throw PNGError(source: source, kind: .notPNG, reason: "not a PNG: the file is empty")
        }
        guard ImageSignature.isPNG(head) else {
            if head.count < ImageSignature.png.count && ImageSignature.png.starts(with: head) {
                throw PNGError(source: source, kind: .truncated, reason: "truncated PNG: only \(head.count) bytes, not even the 8-byte signature")
            }
            if let format = ImageSignature.formatName(of: head) {
                throw PNGError(source: source, kind: .notPNG, reason: "not a PNG: it looks like \(format) (starts with \(ImageSignature.hexPrefix(head, count: 4)))")
            }
            throw PNGError(source: source, kind: .notPNG, reason: "not a PNG: starts with \(ImageSignature.hexPrefix(head)), expected the PNG signature 89 50 4E 47 0D 0A 1A 0A")
        }
        guard head.count >= minimumByteCount else {
            throw PNGError(source: source, kind: .truncated, reason: "truncated PNG: only \(head.count) bytes, the IHDR header needs \(minimumByteCount)")
        }
        func uint32(_ offset: Int) -> UInt32 {
            head[offset..<offset + 4].reduce(0) { ($0 << 8) | UInt32($1) }
        }
        let length = uint32(8)
        let type = String(decoding: head[12..<16], as: UTF8.self)
        guard type == "IHDR" else {
            throw PNGError(source: source, kind: .corrupt, reason: "corrupt PNG: the first chunk is '\(printable(type))', expected IHDR")
        }
        guard length == 13 else {
            throw PNGError(source: source, kind: .corrupt, reason: "corrupt PNG: IHDR is \(length) bytes long, expected 13")
        }
        let width = uint32(16), height = uint32(20)
        guard width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw PNGError(source: source, kind: .corrupt, reason: "corrupt PNG: IHDR size \(width)×\(height) exceeds the PNG maximum of 2^31-1")
        }
        guard width > 0, height > 0 else {
            throw PNGError(source: source, kind: .empty, reason: "empty PNG: IHDR says the image is \(width)×\(height) pixels")
        }
        return PNGHeader(width: Int(width), height: Int(height), bitDepth: Int(head[24]), colorType: Int(head[25]), interlaced: head[28] != 0)
    }

    /// Throws `tooLarge` when width × height exceeds `maxPixels`.
    public func check(maxPixels: Int, source: String) throws(PNGError) {
        guard pixelCount <= maxPixels else {
            throw PNGError(source: source, kind: .tooLarge, reason: "PNG too large: \(width)×\(height) is \(megapixels(pixelCount)) megapixels, over the limit of \(megapixels(maxPixels))")
        }
    }
}

private func megapixels(_ count: Int) -> String {
    let tenths = (count + 50_000) / 100_000
    return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
}

private func printable(_ text: String) -> String {
    String(text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
}
