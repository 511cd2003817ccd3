import Foundation
import Imaging
import ImagingTestSupport
import ModelIO
import Testing

@Suite("From PNG bytes to digits in one call")
struct DigitInputTests {
    @Test("a PNG upload becomes the same digit as its decoded pixels")
    func digitFromBytes() throws {
        let scan = ScanRenderer().render(try MNISTTestSet.get().images[4], width: 160, height: 120, originX: 50, originY: 10, scale: 3.5)
        let png = try PNGEncoder.encode(scan)
        #expect(try DigitInput.digit(png: png, source: "upload") == DigitPreprocessor().preprocess(scan, source: "upload"))
    }

    @Test("a PNG file of a number becomes its segments")
    func numberFromFile() throws {
        let set = try MNISTTestSet.get()
        let number = NumberComposer().compose([set.images[0], set.images[1], set.images[2]], scale: 2, gap: 20)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("digit-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("number.png").path
        try PNGEncoder.write(number.image, to: path)
        #expect(try DigitInput.number(pngFile: path).count == 3)
    }

    @Test("errors keep their one-line message and say which are format errors")
    func errors() throws {
        do {
            _ = try DigitInput.digit(png: [0xFF, 0xD8, 0xFF, 0xE0], source: "photo.jpg")
            Issue.record("a JPEG was accepted")
        } catch {
            #expect(error.isUnsupportedFormat)
            #expect(error.description == "photo.jpg: not a PNG: it looks like a JPEG image (starts with FF D8 FF E0)")
        }
        let blank = try PNGEncoder.encode(GrayImage(width: 40, height: 30, filledWith: 255))
        do {
            _ = try DigitInput.number(png: blank, source: "blank.png")
            Issue.record("a blank page had digits")
        } catch {
            #expect(!error.isUnsupportedFormat)
            #expect(error == .imaging(ImagingError(source: "blank.png", kind: .noDigitFound, reason: "no digit found: the image is nearly uniform (contrast 0 of 255, need 40)")))
        }
    }
}

extension DigitInputTests {
    @Test("concurrent decodes and preprocessing agree with serial ones (libpng state is per call)")
    func concurrent() async throws {
        let set = try MNISTTestSet.get()
        let uploads = try (0..<16).map { index in
            try PNGEncoder.encode(ScanRenderer().render(set.images[index], width: 90, height: 70, originX: Double(index), originY: 5, scale: 2))
        }
        let serial = try uploads.map { try DigitInput.digit(png: $0, source: "upload").pixels }
        let parallel = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for (index, upload) in uploads.enumerated() {
                group.addTask { (index, try DigitInput.digit(png: upload, source: "upload").pixels) }
            }
            var results = [[UInt8]](repeating: [], count: uploads.count)
            for try await (index, pixels) in group { results[index] = pixels }
            return results
        }
        #expect(parallel == serial)
    }
}
