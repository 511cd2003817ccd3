import Foundation
import ImagingTestSupport
import ModelIO

/// PNG files for the recognition commands, written into a fresh temporary directory.
struct RecognitionFixtures {
    let directory: URL

    init() throws {
        directory = try CLIRunner.temporaryDirectory()
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    /// MNIST test image `index` (0 is a 7, 1 a 2, 2 a 1) scanned as dark ink on light paper, off-centre.
    static func scan(_ index: Int) throws -> [UInt8] {
        let set = try MNISTTestSet.get()
        let image = ScanRenderer(paper: 235, ink: 30).render(set.images[index], width: 140, height: 110, originX: 50, originY: 12, scale: 3)
        return ScanEncoding.gray8.encode(image)
    }

    /// MNIST test images 0…3 (7, 2, 1, 0) written in a row: the number "7210".
    static func number() throws -> [UInt8] {
        let set = try MNISTTestSet.get()
        let composed = NumberComposer(renderer: ScanRenderer(paper: 240, ink: 20)).compose(Array(set.images[0..<4]), scale: 2.5, gap: 18)
        return ScanEncoding.rgb8.encode(composed.image)
    }

    static func blank() -> [UInt8] {
        ScanEncoding.gray8.encode(GrayImage(width: 60, height: 40, filledWith: 250))
    }

    /// A valid header declaring 100000×100000 pixels (10 gigapixels), and no image data.
    static func huge() -> [UInt8] {
        let ihdr = RawPNG.be32(100_000) + RawPNG.be32(100_000) + [8, 0, 0, 0, 0]
        return ImageSignaturePNG.bytes + RawPNG.chunk("IHDR", ihdr) + RawPNG.chunk("IEND", [])
    }
}
