import CZlib
import Foundation

/// gzip decompression through the system zlib.
public enum Gzip {
    public struct DecompressionError: Error, CustomStringConvertible, Sendable, Equatable {
        public var source: String
        public var reason: String
        public var description: String { "\(source): \(reason)" }
    }

    /// Inflates every gzip member in `data` (concatenated members are one file, as `gunzip` treats them).
    /// `limit` caps the output so a small hostile file cannot expand without bound.
    public static func decompress(_ data: Data, source: String, limit: Int) throws(DecompressionError) -> [UInt8] {
        try decompress([UInt8](data), source: source, limit: limit)
    }

    public static func decompress(_ input: [UInt8], source: String, limit: Int) throws(DecompressionError) -> [UInt8] {
        func failure(_ reason: String) -> DecompressionError { DecompressionError(source: source, reason: reason) }
        guard input.count >= 2, input[0] == 0x1f, input[1] == 0x8b else {
            let found = input.prefix(2).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw failure("not a gzip file (expected magic bytes 1f 8b, found \(found.isEmpty ? "an empty file" : found))")
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw failure("zlib could not initialise an inflate stream")
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        let chunkSize = 1 << 16
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var consumed = 0
        var members = 0
        while consumed < input.count {
            if members > 0 {
                // Another member follows the previous one's trailer; anything else there is junk.
                guard input.count - consumed >= 2, input[consumed] == 0x1f, input[consumed + 1] == 0x8b else {
                    throw failure("\(input.count - consumed) unexpected trailing bytes after gzip member \(members) at offset \(consumed)")
                }
                inflateReset(&stream)
            }
            var status: Int32 = Z_OK
            repeat {
                let remaining = input.count - consumed
                let step = min(remaining, Int(UInt32.max))
                var produced = 0
                status = input.withUnsafeBufferPointer { inBuffer in
                    chunk.withUnsafeMutableBufferPointer { outBuffer in
                        stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress.map { $0 + consumed })
                        stream.avail_in = UInt32(step)
                        stream.next_out = outBuffer.baseAddress
                        stream.avail_out = UInt32(chunkSize)
                        let result = inflate(&stream, Z_NO_FLUSH)
                        consumed += step - Int(stream.avail_in)
                        produced = chunkSize - Int(stream.avail_out)
                        return result
                    }
                }
                if produced > 0 {
                    guard output.count <= limit - produced else {
                        throw failure("decompressed size exceeds the limit of \(limit) bytes")
                    }
                    output.append(contentsOf: chunk[0..<produced])
                }
                switch status {
                case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
                    break
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw failure("corrupt gzip data in member \(members + 1) near input offset \(consumed): \(message)")
                }
                // All input is in and zlib still had room to write (or could make no progress at all):
                // the member's end is missing.
                let starved = consumed == input.count && produced < chunkSize
                if status != Z_STREAM_END && (starved || status == Z_BUF_ERROR) {
                    throw failure("truncated gzip stream: input ended after \(input.count) bytes, before the end of member \(members + 1)")
                }
            } while status != Z_STREAM_END
            members += 1
        }
        return output
    }
}
