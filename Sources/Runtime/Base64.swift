/// Standard base64 (RFC 4648, `+/`, `=` padding) decoding into caller-provided memory. Generated weights are a
/// base64 string literal: a single token, so the compiler type-checks it in constant time, unlike an array literal.
public enum Base64 {
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8).enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Decodes `text`, skipping line breaks and spaces, into `output`; returns the number of bytes written or nil
    /// when the text is not base64 or does not fit.
    public static func decode(_ text: String, into output: UnsafeMutableRawBufferPointer) -> Int? {
        var text = text
        return text.withUTF8 { utf8 -> Int? in
            var written = 0
            var bits: UInt32 = 0
            var count = 0
            var padding = 0
            for c in utf8 {
                if c == 0x0A || c == 0x0D || c == 0x20 { continue }
                if c == UInt8(ascii: "=") { padding += 1; continue }
                let v = table[Int(c)]
                guard v != 0xFF, padding == 0 else { return nil }
                bits = bits << 6 | UInt32(v)
                count += 1
                if count == 4 {
                    guard written + 3 <= output.count else { return nil }
                    output[written] = UInt8(truncatingIfNeeded: bits >> 16)
                    output[written + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                    output[written + 2] = UInt8(truncatingIfNeeded: bits)
                    written += 3
                    bits = 0
                    count = 0
                }
            }
            switch (count, padding) {
            case (0, 0): return written
            case (2, 2):
                guard written + 1 <= output.count else { return nil }
                output[written] = UInt8(truncatingIfNeeded: bits >> 4)
                return written + 1
            case (3, 1):
                guard written + 2 <= output.count else { return nil }
                output[written] = UInt8(truncatingIfNeeded: bits >> 10)
                output[written + 1] = UInt8(truncatingIfNeeded: bits >> 2)
                return written + 2
            default: return nil
            }
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Encodes `bytes` as lines of `lineLength` characters (a multiple of 4) joined by "\n".
    public static func encode(_ bytes: [UInt8], lineLength: Int = 100) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 3 * 4 + bytes.count / 72 + 8)
        var column = 0
        func emit(_ c: UInt8) {
            if column == lineLength { out.append(0x0A); column = 0 }
            out.append(c)
            column += 1
        }
        var i = 0
        while i + 3 <= bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for s in [18, 12, 6, 0] { emit(alphabet[Int((v >> UInt32(s)) & 63)]) }
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let v = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            emit(alphabet[Int((v >> 18) & 63)])
            emit(alphabet[Int((v >> 12) & 63)])
            emit(rest == 2 ? alphabet[Int((v >> 6) & 63)] : UInt8(ascii: "="))
            emit(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
