import Foundation
import ImagingTestSupport
import ModelIO
import Testing
@testable import Imaging

@Suite("Digit pictures: enlargement, bitmap font, labelled grids")
struct DigitPicturesTests {
    static let ramp = (0..<784).map { UInt8($0 % 256) }

    @Test("enlarge repeats each pixel in a scale×scale block, optionally as dark ink")
    func enlarge() {
        let image = DigitPictures.enlarge(Self.ramp, scale: 3)
        #expect(image.width == 84 && image.height == 84)
        #expect(image[0, 0] == 0 && image[2, 2] == 0 && image[3, 0] == 1 && image[83, 83] == Self.ramp[783])
        #expect(image[5, 4] == Self.ramp[1 * 28 + 1])
        let dark = DigitPictures.enlarge(Self.ramp, scale: 1, inkDark: true)
        #expect(dark.pixels == Self.ramp.map { 255 - $0 })
    }

    @Test("every glyph is 5×7 and the digits are distinct")
    func font() {
        for (character, rows) in BitmapFont.glyphs {
            #expect(rows.count == 7, "\(character)")
            #expect(rows.allSatisfy { $0.count == 5 && $0.allSatisfy { $0 == "#" || $0 == "." } }, "\(character)")
        }
        let digits = "0123456789".map { BitmapFont.glyphs[$0] ?? [] }
        #expect(Set(digits.map { $0.joined() }).count == 10)
        #expect(BitmapFont.width(of: "7→2", scale: 2) == 34)
    }

    @Test("grid layout: tiles, gutters, label strip and coloured label runs")
    func grid() {
        let tiles = (0..<5).map { DigitTile(pixels: [UInt8](repeating: UInt8(40 * $0), count: 784), label: [LabelRun("7"), LabelRun("→"), LabelRun("2", color: .red)]) }
        let image = DigitPictures.grid(tiles, columns: 3, scale: 2)
        #expect(image.width == 3 * 56 + 4 * 4)
        #expect(image.height == 2 * (56 + 22) + 3 * 4)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(image.pixels[3 * (y * image.width + x)..<3 * (y * image.width + x) + 3]) }
        #expect(pixel(0, 0) == [210, 210, 210])
        // Tile 4 is the second row's second cell.
        let left = 4 + 1 * (56 + 4), top = 4 + 1 * (78 + 4)
        #expect(pixel(left, top) == [160, 160, 160])
        #expect(pixel(left + 55, top + 55) == [160, 160, 160])
        // Label strip: white, "7" from x = left + 11 in black, "2" (".###." top row) in red at left + 35 + 2·1.
        let baseline = top + 56 + 4
        #expect(pixel(left, top + 56) == [255, 255, 255])
        #expect(pixel(left + 11, baseline) == [0, 0, 0])
        #expect(pixel(left + 20, baseline + 1) == [0, 0, 0])
        #expect(pixel(left + 35, baseline) == [255, 255, 255])
        #expect(pixel(left + 37, baseline) == [200, 0, 0])
    }

    @Test("a grid survives a PNG round trip")
    func gridPNG() throws {
        let set = try MNISTTestSet.get()
        let tiles = (0..<12).map { DigitTile(pixels: set.images[$0], label: [LabelRun("\(set.labels[$0])"), LabelRun("→"), LabelRun("\((set.labels[$0] + 1) % 10)", color: .red)]) }
        let grid = DigitPictures.grid(tiles, columns: 6, scale: 2)
        let decoded = try PNGDecoder.decode(PNGEncoder.encode(grid), source: "grid.png")
        #expect(decoded.width == grid.width && decoded.height == grid.height)
        // Gray gutters and tile pixels decode to their luma exactly.
        #expect(decoded[0, 0] == 210)
        #expect(decoded[4 + 2 * 14, 4 + 2 * 14] == set.images[0][14 * 28 + 14])
    }
}
