import Foundation
import ImagingTestSupport
import ModelIO
import Testing

@Suite("PNG encoding")
struct PNGEncodingTests {
    @Test("gray images round-trip exactly")
    func grayRoundTrip() throws {
        var random = TestRandom(seed: 3)
        let image = GrayImage(width: 37, height: 23, pixels: (0..<37 * 23).map { _ in UInt8.random(in: 0...255, using: &random) })
        let bytes = try PNGEncoder.encode(image)
        #expect(Array(bytes.prefix(8)) == ImageSignaturePNG.bytes)
        #expect(try PNGDecoder.decode(bytes, source: "round-trip.png") == image)
    }

    @Test("RGB images decode to their Rec. 601 luma")
    func rgbRoundTrip() throws {
        let image = RGBImage(width: 3, height: 1, pixels: [255, 0, 0, 0, 255, 0, 10, 20, 30])
        let decoded = try PNGDecoder.decode(PNGEncoder.encode(image), source: "rgb.png")
        // (299·10 + 587·20 + 114·30) / 1000 = 18.15
        #expect(decoded.pixels == [76, 150, 18])
    }

    @Test("write is atomic and names the path on failure")
    func writeFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("png-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.png").path
        let image = GrayImage(width: 2, height: 2, pixels: [0, 85, 170, 255])
        try PNGEncoder.write(image, to: path)
        #expect(try PNGDecoder.decode(contentsOf: path) == image)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.png"])
        let nowhere = directory.appendingPathComponent("no/such/dir/out.png").path
        #expect(throws: PNGError(source: nowhere, kind: .io, reason: "directory '\(directory.path)/no/such/dir' does not exist")) {
            try PNGEncoder.write(image, to: nowhere)
        }
    }

    @Test("empty images cannot be encoded")
    func emptyImage() {
        #expect(throws: PNGError(source: "PNG", kind: .encoding, reason: "cannot encode a 0×4 image: PNG needs 1…2^31-1 pixels per side")) {
            try PNGEncoder.encode(GrayImage(width: 0, height: 4, pixels: []))
        }
    }

    @Test("the linked libpng is 1.6")
    func version() {
        #expect(PNGDecoder.libpngVersion.hasPrefix("1.6."))
    }
}
