import Foundation
import Testing
@testable import ModelIO

/// Builds IDX files byte by byte so each malformation is exactly the one under test.
enum IDXBytes {
    static func header(magic: UInt32, dimensions: [UInt32]) -> [UInt8] {
        ([magic] + dimensions).flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32($0))) } }
    }

    static func images(count: Int, rows: Int = 28, columns: Int = 28, fill: (Int) -> UInt8 = { UInt8(truncatingIfNeeded: $0) }) -> [UInt8] {
        header(magic: 0x0803, dimensions: [UInt32(count), UInt32(rows), UInt32(columns)]) + (0..<(count * rows * columns)).map(fill)
    }

    static func labels(_ labels: [UInt8]) -> [UInt8] {
        header(magic: 0x0801, dimensions: [UInt32(labels.count)]) + labels
    }
}

@Suite struct IDXFileTests {
    @Test func decodesAValidArray() throws {
        let array = try IDXFile.decode(IDXBytes.header(magic: 0x0803, dimensions: [2, 1, 3]) + [1, 2, 3, 4, 5, 6], source: "a.idx")
        #expect(array == IDXArray(typeCode: 0x08, dimensions: [2, 1, 3], elements: [1, 2, 3, 4, 5, 6]))
        #expect(array.magic == 0x0803)
    }

    @Test func rejectsNonZeroLeadingMagicBytes() {
        #expect(throws: IDXError(source: "a.idx", reason: "bad IDX magic 0x12340801: the first two bytes must be zero")) {
            try IDXFile.decode(IDXBytes.header(magic: 0x1234_0801, dimensions: [1]) + [0], source: "a.idx")
        }
    }

    @Test func rejectsOtherDataTypes() {
        #expect(throws: IDXError(source: "a.idx", reason: "unsupported IDX data type 0x0D (float32) in magic 0x00000D01; only 0x08 (unsigned byte) is supported")) {
            try IDXFile.decode(IDXBytes.header(magic: 0x0D01, dimensions: [1]) + [0, 0, 0, 0], source: "a.idx")
        }
    }

    @Test func rejectsZeroDimensions() {
        #expect(throws: IDXError(source: "a.idx", reason: "IDX magic 0x00000800 declares 0 dimensions; expected at least 1")) {
            try IDXFile.decode(IDXBytes.header(magic: 0x0800, dimensions: []), source: "a.idx")
        }
    }

    @Test func rejectsTruncatedHeaders() {
        #expect(throws: IDXError(source: "a.idx", reason: "truncated IDX header: expected at least 4 bytes, found 2")) {
            try IDXFile.decode([0, 0], source: "a.idx")
        }
        #expect(throws: IDXError(source: "a.idx", reason: "truncated IDX header: 3 dimensions need 16 bytes, found 12")) {
            try IDXFile.decode(IDXBytes.header(magic: 0x0803, dimensions: [1, 28]), source: "a.idx")
        }
    }

    @Test func rejectsTruncatedData() {
        let bytes = Array(IDXBytes.images(count: 2).dropLast(5))
        #expect(throws: IDXError(source: "a.idx", reason: "truncated: expected 1584 bytes (16-byte header + 2×28×28 elements), found 1579")) {
            try IDXFile.decode(bytes, source: "a.idx")
        }
    }

    @Test func rejectsTrailingBytes() {
        #expect(throws: IDXError(source: "a.idx", reason: "2 trailing bytes: expected 11 bytes (8-byte header + 3 elements), found 13")) {
            try IDXFile.decode(IDXBytes.labels([1, 2, 3]) + [9, 9], source: "a.idx")
        }
    }

    @Test func rejectsSizesThatOverflow() {
        let dimensions: [UInt32] = [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF]
        #expect(throws: IDXError(source: "a.idx", reason: "IDX dimensions 4294967295×4294967295… are too large to address")) {
            try IDXFile.decode(IDXBytes.header(magic: 0x0803, dimensions: dimensions), source: "a.idx")
        }
    }

    @Test func readsGzipFilesByName() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path
        try FileManager.default.copyItem(atPath: TestPaths.committedMNIST.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path, toPath: path)
        let array = try IDXFile.read(path: path)
        #expect(array.dimensions == [10_000])
        #expect(Array(array.elements.prefix(5)) == [7, 2, 1, 0, 4])
    }

    @Test func namesTheFileItCannotRead() {
        #expect(throws: IDXError(source: "no/such.idx", reason: "cannot read: no such file")) {
            try IDXFile.read(path: "no/such.idx")
        }
    }
}
