import Foundation
import ImagingTestSupport
import ModelIO
import Testing

@Suite("PNG decoding: every color type and bit depth")
struct PNGDecodingTests {
    struct Expected: Decodable {
        var width: Int
        var height: Int
        var luma: [Int]
    }

    static let fixtureNames = [
        "gray1.png", "gray2.png", "gray4.png", "gray8-interlaced.png", "gray16.png", "gray-alpha8.png",
        "gray-alpha16.png", "rgb8.png", "rgb16-interlaced.png", "rgba8.png", "rgba16.png", "palette1.png",
        "palette2-trns.png", "palette4.png", "palette8-trns.png",
    ]

    @Test("files written by pypng decode to the luminance the script computed", arguments: fixtureNames)
    func pypngFixture(name: String) throws {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let table = try JSONDecoder().decode([String: Expected].self, from: Data(contentsOf: directory.appendingPathComponent("expected-luma.json")))
        let expected = try #require(table[name])
        let image = try PNGDecoder.decode(contentsOf: directory.appendingPathComponent(name).path)
        #expect(image.width == expected.width)
        #expect(image.height == expected.height)
        #expect(image.pixels.map(Int.init) == expected.luma)
    }

    struct Case: CustomStringConvertible, Sendable {
        var colorType: RawPNG.ColorType
        var depth: Int
        var interlaced: Bool
        var transparency: Bool
        var description: String { "type \(colorType.rawValue) depth \(depth)\(interlaced ? " interlaced" : "")\(transparency ? " tRNS" : "")" }
    }

    static let matrix: [Case] = {
        let depths: [(RawPNG.ColorType, [Int])] = [
            (.gray, [1, 2, 4, 8, 16]), (.grayAlpha, [8, 16]), (.rgb, [8, 16]), (.rgba, [8, 16]), (.palette, [1, 2, 4, 8]),
        ]
        var cases: [Case] = []
        for (type, list) in depths {
            for depth in list {
                for interlaced in [false, true] {
                    cases.append(Case(colorType: type, depth: depth, interlaced: interlaced, transparency: false))
                    if type == .palette || type == .gray || type == .rgb {
                        cases.append(Case(colorType: type, depth: depth, interlaced: interlaced, transparency: true))
                    }
                }
            }
        }
        return cases
    }()

    @Test("in-memory images from an independent encoder decode exactly", arguments: matrix)
    func generated(_ testCase: Case) throws {
        // 13×11 exercises partial bytes at every depth and every Adam7 pass, including short ones.
        let width = 13, height = 11, depth = testCase.depth
        var random = TestRandom(seed: UInt64(testCase.colorType.rawValue) * 100 + UInt64(depth) + (testCase.interlaced ? 7 : 0))
        let top = UInt16((1 << depth) - 1)
        let samples = (0..<width * height * testCase.colorType.channels).map { _ in UInt16.random(in: 0...top, using: &random) }
        var palette: [UInt8]? = nil
        var transparency: [UInt8]? = nil
        var expected: [Int]
        switch testCase.colorType {
        case .gray:
            let key = samples[5]
            if testCase.transparency { transparency = [UInt8(key >> 8), UInt8(key & 0xFF)] }
            expected = samples.map { sample in
                let gray = ExpectedLuma.to8(sample, depth: depth)
                return testCase.transparency && sample == key ? ExpectedLuma.grayOverWhite(gray, alpha: 0) : gray
            }
        case .rgb:
            let key = Array(samples[0..<3])
            if testCase.transparency { transparency = key.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }
            expected = (0..<width * height).map { index in
                let pixel = Array(samples[3 * index..<3 * index + 3])
                let (r, g, b) = (ExpectedLuma.to8(pixel[0], depth: depth), ExpectedLuma.to8(pixel[1], depth: depth), ExpectedLuma.to8(pixel[2], depth: depth))
                return testCase.transparency && pixel == key ? 255 : ExpectedLuma.rgb(r, g, b)
            }
        case .grayAlpha:
            expected = (0..<width * height).map { index in
                ExpectedLuma.grayOverWhite(ExpectedLuma.to8(samples[2 * index], depth: depth), alpha: ExpectedLuma.to8(samples[2 * index + 1], depth: depth))
            }
        case .rgba:
            expected = (0..<width * height).map { index in
                let p = samples[4 * index..<4 * index + 4].map { ExpectedLuma.to8($0, depth: depth) }
                return ExpectedLuma.rgbOverWhite(p[0], p[1], p[2], alpha: p[3])
            }
        case .palette:
            let count = 1 << depth
            let entries = (0..<count * 3).map { _ in UInt8.random(in: 0...255, using: &random) }
            let alphas = (0..<count / 2 + 1).map { _ in UInt8.random(in: 0...255, using: &random) }
            palette = entries
            if testCase.transparency { transparency = Array(alphas.prefix(count)) }
            expected = samples.map { sample in
                let index = Int(sample)
                let (r, g, b) = (Int(entries[3 * index]), Int(entries[3 * index + 1]), Int(entries[3 * index + 2]))
                // Entries past the end of tRNS are opaque.
                if testCase.transparency, index < alphas.count, index < count {
                    return ExpectedLuma.rgbOverWhite(r, g, b, alpha: Int(alphas[index]))
                }
                return ExpectedLuma.rgb(r, g, b)
            }
        }
        let bytes = RawPNG.encode(
            width: width, height: height, colorType: testCase.colorType, bitDepth: depth, samples: samples,
            palette: palette, transparency: transparency, interlaced: testCase.interlaced
        )
        let image = try PNGDecoder.decode(bytes, source: "generated.png")
        #expect(image.width == width && image.height == height)
        #expect(image.pixels.map(Int.init) == expected)
    }

    @Test("Data and [UInt8] inputs decode identically")
    func dataInput() throws {
        let bytes = RawPNG.encode(width: 2, height: 1, colorType: .gray, bitDepth: 8, samples: [10, 250])
        #expect(try PNGDecoder.decode(Data(bytes), source: "upload").pixels == [10, 250])
        #expect(try PNGDecoder.decode(bytes, source: "upload").pixels == [10, 250])
    }
}
