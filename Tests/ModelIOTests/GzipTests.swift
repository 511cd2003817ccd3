import Foundation
import Testing
@testable import ModelIO

/// Fixtures: fox.txt.gz holds 20 lines "The quick brown fox jumps over the lazy dog." (900 bytes);
/// zeros-1MiB.gz holds 1,048,576 zero bytes. Both were written by `gzip -9 -n`.
@Suite struct GzipTests {
    static let foxLine = "The quick brown fox jumps over the lazy dog.\n"

    @Test func inflatesAValidFile() throws {
        let bytes = try Gzip.decompress(try TestPaths.fixture("fox.txt.gz"), source: "fox.txt.gz", limit: 1 << 20)
        #expect(String(decoding: bytes, as: UTF8.self) == String(repeating: Self.foxLine, count: 20))
    }

    @Test func inflatesConcatenatedMembersAsOneFile() throws {
        let member = try TestPaths.fixture("fox.txt.gz")
        let bytes = try Gzip.decompress(member + member, source: "two.gz", limit: 1 << 20)
        #expect(bytes.count == 1800)
        #expect(SHA256.hex(bytes) == SHA256.hex(Array(String(repeating: Self.foxLine, count: 40).utf8)))
    }

    @Test func inflatesALargeOutputAcrossManyChunks() throws {
        let bytes = try Gzip.decompress(try TestPaths.fixture("zeros-1MiB.gz"), source: "zeros.gz", limit: 1 << 20)
        #expect(bytes.count == 1 << 20)
        #expect(bytes.allSatisfy { $0 == 0 })
    }

    @Test func rejectsOutputBeyondTheLimit() throws {
        let input = try TestPaths.fixture("zeros-1MiB.gz")
        #expect(throws: Gzip.DecompressionError(source: "zeros.gz", reason: "decompressed size exceeds the limit of 1048575 bytes")) {
            try Gzip.decompress(input, source: "zeros.gz", limit: (1 << 20) - 1)
        }
    }

    @Test func rejectsABadChecksumTrailer() throws {
        var input = try TestPaths.fixture("fox.txt.gz")
        input[input.count - 8] ^= 0xff  // first byte of the CRC-32
        #expect(throws: Gzip.DecompressionError(source: "fox.txt.gz", reason: "corrupt gzip data in member 1 near input offset 69: incorrect data check")) {
            try Gzip.decompress(input, source: "fox.txt.gz", limit: 1 << 20)
        }
    }

    @Test func rejectsATruncatedStream() throws {
        let input = Array(try TestPaths.fixture("fox.txt.gz").dropLast(10))
        #expect(throws: Gzip.DecompressionError(source: "fox.txt.gz", reason: "truncated gzip stream: input ended after 63 bytes, before the end of member 1")) {
            try Gzip.decompress(input, source: "fox.txt.gz", limit: 1 << 20)
        }
    }

    @Test func rejectsSomethingThatIsNotGzip() {
        #expect(throws: Gzip.DecompressionError(source: "x.gz", reason: "not a gzip file (expected magic bytes 1f 8b, found 00 00)")) {
            try Gzip.decompress([0, 0, 8, 3], source: "x.gz", limit: 100)
        }
        #expect(throws: Gzip.DecompressionError(source: "x.gz", reason: "not a gzip file (expected magic bytes 1f 8b, found an empty file)")) {
            try Gzip.decompress([UInt8](), source: "x.gz", limit: 100)
        }
    }

    @Test func rejectsJunkAfterTheLastMember() throws {
        let input = try TestPaths.fixture("fox.txt.gz") + [0, 0, 0]
        #expect(throws: Gzip.DecompressionError(source: "fox.txt.gz", reason: "3 unexpected trailing bytes after gzip member 1 at offset 73")) {
            try Gzip.decompress(input, source: "fox.txt.gz", limit: 1 << 20)
        }
    }
}
