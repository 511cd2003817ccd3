import Testing
import Foundation
import ImagingTestSupport
import ModelIO

/// PNG uploads made in the test: real MNIST digits rendered like scans, and broken files of every kind.
enum TestImages {
    /// The first t10k image of `label`, rendered 3× on paper (dark ink), as a PNG.
    static func digit(_ label: Int) throws -> [UInt8] {
        let set = try MNISTTestSet.get()
        let index = try #require(set.labels.firstIndex(of: label))
        let image = ScanRenderer().render([(set.images[index], 16, 16, 3)], width: 116, height: 116)
        return try PNGEncoder.encode(image)
    }

    /// MNIST digits of `labels` written in a row.
    static func number(_ labels: [Int]) throws -> [UInt8] {
        let set = try MNISTTestSet.get()
        var digits: [[UInt8]] = []
        for label in labels {
            let index = try #require(set.labels.firstIndex(of: label))
            digits.append(set.images[index])
        }
        return try PNGEncoder.encode(NumberComposer().compose(digits, scale: 2, gap: 12).image)
    }

    static func blank() throws -> [UInt8] {
        try PNGEncoder.encode(GrayImage(width: 64, height: 64, pixels: [UInt8](repeating: 240, count: 64 * 64)))
    }

    /// A valid PNG whose header claims `width`×`height` (the data is garbage, but the size check comes first).
    static func claiming(width: Int, height: Int) -> [UInt8] {
        var ihdr = RawPNG.be32(UInt32(width)) + RawPNG.be32(UInt32(height))
        ihdr += [8, 0, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + RawPNG.chunk("IHDR", ihdr)
            + RawPNG.chunk("IDAT", RawPNG.deflate([0, 0, 0])) + RawPNG.chunk("IEND", [])
    }

    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01]
    static let gif: [UInt8] = Array("GIF89a\u{01}\u{00}\u{01}\u{00}".utf8)
    static let text: [UInt8] = Array("hello, this is not an image\n".utf8)

    static func multipart(field: String, _ bytes: [UInt8], boundary: String = "XyZzY") -> [UInt8] {
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"d.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += bytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return body
    }
}
