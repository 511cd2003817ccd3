import Foundation
import ImagingTestSupport
import ModelIO
import Testing

@Suite("PNG rejection: not PNG, truncated, corrupt, empty, too large")
struct PNGRejectionTests {
    static let valid = RawPNG.encode(width: 6, height: 5, colorType: .rgb, bitDepth: 8, samples: (0..<90).map { UInt16($0 * 2) })

    static func message(_ bytes: [UInt8], source: String = "scan.png", maxPixels: Int = PNGDecoder.defaultMaxPixels) -> (PNGError.Kind?, String) {
        do {
            _ = try PNGDecoder.decode(bytes, source: source, maxPixels: maxPixels)
            return (nil, "decoded")
        } catch {
            return (error.kind, error.description)
        }
    }

    @Test("other formats are named by their magic bytes")
    func otherFormats() {
        let cases: [([UInt8], String)] = [
            ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46], "photo.jpg: not a PNG: it looks like a JPEG image (starts with FF D8 FF E0)"),
            (Array("GIF89a\u{1}\u{0}\u{1}\u{0}".utf8), "photo.jpg: not a PNG: it looks like a GIF image (starts with 47 49 46 38)"),
            (Array("BM".utf8) + [UInt8](repeating: 0, count: 30), "photo.jpg: not a PNG: it looks like a BMP image (starts with 42 4D 00 00)"),
            (Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), "photo.jpg: not a PNG: it looks like a WebP image (starts with 52 49 46 46)"),
            (Array("%PDF-1.7\n".utf8), "photo.jpg: not a PNG: it looks like a PDF document (starts with 25 50 44 46)"),
            (Array("hello world, plain text".utf8), "photo.jpg: not a PNG: starts with 68 65 6C 6C 6F 20 77 6F, expected the PNG signature 89 50 4E 47 0D 0A 1A 0A"),
            ([], "photo.jpg: not a PNG: the file is empty"),
        ]
        for (bytes, expected) in cases {
            let (kind, text) = Self.message(bytes, source: "photo.jpg")
            #expect(kind == .notPNG)
            #expect(text == expected)
        }
    }

    @Test("a corrupt IDAT CRC is rejected")
    func badCRC() throws {
        var bytes = Self.valid
        let idat = try #require(RawPNG.chunks(in: bytes).first { $0.type == "IDAT" })
        bytes[idat.offset + 8 + idat.length] ^= 0xFF
        let (kind, text) = Self.message(bytes)
        #expect(kind == .corrupt)
        #expect(text == "scan.png: corrupt PNG: IDAT: CRC error")
    }

    @Test("a corrupt IHDR CRC is rejected")
    func badHeaderCRC() {
        var bytes = Self.valid
        bytes[29] ^= 0x01
        let (kind, text) = Self.message(bytes)
        #expect(kind == .corrupt)
        #expect(text == "scan.png: corrupt PNG: IHDR: CRC error")
    }

    @Test("damaged compressed data is rejected")
    func badZlib() throws {
        let idatData = RawPNG.deflate([UInt8](repeating: 0, count: 5 * 19))
        var broken = idatData
        broken[2] = 0xFF
        broken[3] = 0xFF
        var bytes = Array(Self.valid.prefix(33))
        bytes += RawPNG.chunk("IDAT", broken) + RawPNG.chunk("IEND", [])
        let (kind, text) = Self.message(bytes)
        #expect(kind == .corrupt)
        #expect(text.hasPrefix("scan.png: corrupt PNG: "))
    }

    @Test("too little image data is rejected")
    func shortImageData() {
        // Four of the five rows.
        let rows = [UInt8](repeating: 0, count: 4 * 19)
        let bytes = Array(Self.valid.prefix(33)) + RawPNG.chunk("IDAT", RawPNG.deflate(rows)) + RawPNG.chunk("IEND", [])
        let (kind, text) = Self.message(bytes)
        #expect(kind == .corrupt)
        #expect(text == "scan.png: corrupt PNG: Not enough image data")
    }

    @Test("every truncation point is rejected", arguments: [4, 8, 20, 28, 33, 40, 60])
    func truncated(length: Int) {
        let cut = Array(Self.valid.prefix(length))
        let (kind, text) = Self.message(cut)
        #expect(kind == .truncated)
        switch length {
        case 4: #expect(text == "scan.png: truncated PNG: only 4 bytes, not even the 8-byte signature")
        case 8, 20, 28: #expect(text == "scan.png: truncated PNG: only \(length) bytes, the IHDR header needs 29")
        default: #expect(text == "scan.png: truncated PNG: the data ends after \(length) bytes, before the image is complete")
        }
    }

    @Test("a file cut right before IEND is truncated")
    func missingIEND() {
        let (kind, text) = Self.message(Array(Self.valid.dropLast(12)))
        #expect(kind == .truncated)
        #expect(text == "scan.png: truncated PNG: the data ends after \(Self.valid.count - 12) bytes, before the image is complete")
    }

    @Test("huge IHDR dimensions are rejected before any decoding")
    func hugeDimensions() {
        // Only a signature and IHDR: decoding would fail differently (no IDAT), so the message proves the order.
        let header = ImageSignaturePNG.bytes + RawPNG.chunk("IHDR", RawPNG.be32(100_000) + RawPNG.be32(100_000) + [8, 0, 0, 0, 0])
        let (kind, text) = Self.message(header, source: "bomb.png")
        #expect(kind == .tooLarge)
        #expect(text == "bomb.png: PNG too large: 100000×100000 is 10000 megapixels, over the limit of 40")
    }

    @Test("the pixel limit is configurable and inclusive")
    func customLimit() {
        #expect(Self.message(Self.valid, maxPixels: 30).1 == "decoded")
        #expect(Self.message(Self.valid, maxPixels: 29) == (.tooLarge, "scan.png: PNG too large: 6×5 is 0 megapixels, over the limit of 0"))
    }

    @Test("zero-size images are rejected", arguments: [(0, 5), (5, 0)])
    func zeroSize(width: Int, height: Int) {
        let bytes = ImageSignaturePNG.bytes + RawPNG.chunk("IHDR", RawPNG.be32(UInt32(width)) + RawPNG.be32(UInt32(height)) + [8, 0, 0, 0, 0]) + RawPNG.chunk("IEND", [])
        let (kind, text) = Self.message(bytes)
        #expect(kind == .empty)
        #expect(text == "scan.png: empty PNG: IHDR says the image is \(width)×\(height) pixels")
    }

    @Test("a first chunk other than IHDR is rejected")
    func missingIHDR() {
        let bytes = ImageSignaturePNG.bytes + RawPNG.chunk("IDAT", [UInt8](repeating: 0, count: 13)) + RawPNG.chunk("IEND", [])
        #expect(Self.message(bytes) == (.corrupt, "scan.png: corrupt PNG: the first chunk is 'IDAT', expected IHDR"))
    }

    @Test("an invalid bit depth for the color type is rejected by libpng")
    func invalidDepth() {
        let bytes = ImageSignaturePNG.bytes + RawPNG.chunk("IHDR", RawPNG.be32(2) + RawPNG.be32(2) + [4, 2, 0, 0, 0]) + RawPNG.chunk("IEND", [])
        let (kind, text) = Self.message(bytes)
        #expect(kind == .corrupt)
        #expect(text == "scan.png: corrupt PNG: Invalid IHDR data")
    }

    @Test("a missing file and a non-PNG file on disk are reported with their path")
    func files() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("png-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.png").path
        #expect(throws: PNGError(source: missing, kind: .io, reason: "no such file")) { try PNGDecoder.decode(contentsOf: missing) }
        let jpeg = directory.appendingPathComponent("scan.png").path
        try Data([0xFF, 0xD8, 0xFF, 0xDB] + [UInt8](repeating: 0, count: 100)).write(to: URL(fileURLWithPath: jpeg))
        #expect(throws: PNGError(source: jpeg, kind: .notPNG, reason: "not a PNG: it looks like a JPEG image (starts with FF D8 FF DB)")) {
            try PNGDecoder.decode(contentsOf: jpeg)
        }
    }
}

extension PNGRejectionTests {
    @Test("a signature mangled by a text-mode transfer is named as such")
    func textModeDamage() {
        var bytes = Self.valid
        bytes.remove(at: 4)  // CR LF → LF
        #expect(Self.message(bytes) == (.notPNG, "scan.png: not a PNG: it looks like a PNG damaged by a text-mode transfer (signature bytes altered) (starts with 89 50 4E 47)"))
    }
}
