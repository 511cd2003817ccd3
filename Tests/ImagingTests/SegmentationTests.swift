import ImagingTestSupport
import ModelIO
import Testing
@testable import Imaging

@Suite("Multi-digit segmentation")
struct SegmentationTests {
    let segmenter = DigitSegmenter()

    static func digits(_ indices: [Int]) throws -> [[UInt8]] {
        let set = try MNISTTestSet.get()
        return indices.map { set.images[$0] }
    }

    /// Indices of test-set digits with the given label, in order.
    static func indices(of label: Int, count: Int) throws -> [Int] {
        let labels = try MNISTTestSet.get().labels
        return Array(labels.indices.filter { labels[$0] == label }.prefix(count))
    }

    /// True when segment k's box centre lies within digit k's ink extent, for every k.
    static func inOrder(_ segments: [DigitSegment], _ extents: [ClosedRange<Double>]) -> Bool {
        segments.count == extents.count && zip(segments, extents).allSatisfy { segment, extent in
            extent.contains(Double(segment.box.minX + segment.box.maxX) / 2)
        }
    }

    @Test("numbers of 3 to 8 well-separated digits come out complete and in order", arguments: 3...8)
    func separated(count: Int) throws {
        let indices = (0..<count).map { 37 * count + 11 * $0 }
        let number = NumberComposer().compose(try Self.digits(indices), scale: 2.5, gap: 12, jitter: (0..<count).map { Double(($0 * 7) % 9) })
        let segments = try segmenter.segment(number.image, source: "number.png")
        #expect(segments.count == count)
        #expect(Self.inOrder(segments, number.extents))
    }

    @Test("each segment is preprocessed like the digit alone")
    func segmentsMatchSingleDigits() throws {
        let digits = try Self.digits([3, 2, 1, 18])
        let number = NumberComposer().compose(digits, scale: 3, gap: 20)
        let segments = try segmenter.segment(number.image, source: "number.png")
        try #require(segments.count == 4)
        for (segment, digit) in zip(segments, digits) {
            let alone = try DigitPreprocessor().preprocess(ScanRenderer().render(digit, width: 150, height: 150, originX: 30, originY: 30, scale: 3), source: "alone")
            // Only the sub-pixel phase of the placement differs (measured ≤ 3.2).
            #expect(DigitDistance.bestShiftedDifference(alone.pixels, segment.digit.pixels) < 5)
        }
    }

    @Test("random numbers: at least 97 % segmented exactly (count and order)")
    func randomNumbers() throws {
        var random = TestRandom(seed: 42)
        var correct = 0
        // Measured: 400 of 400 with this generator (seed 42); 60 keep the suite fast.
        let trials = 60
        for _ in 0..<trials {
            let count = Int.random(in: 3...8, using: &random)
            let indices = (0..<count).map { _ in Int.random(in: 0..<10_000, using: &random) }
            let scale = Double.random(in: 1.5...3, using: &random)
            let number = NumberComposer().compose(
                try Self.digits(indices), scale: scale, gap: Double.random(in: 3...8, using: &random) * scale,
                jitter: (0..<count).map { _ in Double.random(in: 0...6, using: &random) }
            )
            if Self.inOrder(try segmenter.segment(number.image, source: "number.png"), number.extents) { correct += 1 }
        }
        #expect(Double(correct) / Double(trials) >= 0.97, "\(correct) of \(trials)")
    }

    @Test("noisy scans of numbers on grey paper, larger and with wider jitter, segment as well")
    func noisyNumbers() throws {
        let set = try MNISTTestSet.get()
        var random = TestRandom(seed: 7)
        var correct = 0
        // Measured: 199 of 200 with this generator; 30 keep the suite fast.
        let trials = 30
        for _ in 0..<trials {
            let count = Int.random(in: 3...8, using: &random)
            let indices = (0..<count).map { _ in Int.random(in: 0..<10_000, using: &random) }
            let scale = Double.random(in: 1.5...6, using: &random)
            let renderer = ScanRenderer(
                paper: Double.random(in: 180...250, using: &random), ink: Double.random(in: 10...70, using: &random),
                noise: Double.random(in: 0...8, using: &random)
            )
            let number = NumberComposer(renderer: renderer).compose(
                indices.map { set.images[$0] }, scale: scale, gap: Double.random(in: 2...8, using: &random) * scale,
                jitter: (0..<count).map { _ in Double.random(in: 0...8, using: &random) * scale / 2 }
            )
            if Self.inOrder(try segmenter.segment(number.image, source: "number.png"), number.extents) { correct += 1 }
        }
        #expect(correct >= 29, "\(correct) of \(trials)")
    }

    /// Composes `left`, the touching pair, and `right` (gaps of 12 px), the pair overlapped just enough to
    /// make it one ink component, as handwriting touches; nil if the pair never touches within `limit` px.
    static func touching(_ pair: [[UInt8]], left: [[UInt8]] = [], right: [[UInt8]] = [], scale: Double, limit: Int = 30) throws -> (image: GrayImage, extents: [ClosedRange<Double>])? {
        for overlap in stride(from: 0, through: limit, by: 2) {
            let lone = NumberComposer().compose(pair, scale: scale, gap: -Double(overlap))
            guard try InkMap(lone.image, source: "touching", options: InkOptions()).kept.count == 1 else { continue }
            let gaps = [Double](repeating: 12, count: left.count) + [-Double(overlap)] + [Double](repeating: 12, count: right.count)
            return NumberComposer().compose(left + pair + right, scale: scale, gaps: gaps)
        }
        return nil
    }

    @Test("a touching pair inside a number is split", arguments: [(0, 0), (2, 3), (4, 5), (6, 8), (9, 2), (3, 3), (0, 6), (8, 9)])
    func touchingPair(labels: (Int, Int)) throws {
        let first = try Self.indices(of: labels.0, count: 2)[0], second = try Self.indices(of: labels.1, count: 2)[1]
        let number = try #require(try Self.touching(try Self.digits([first, second]), left: try Self.digits([3, 2]), right: try Self.digits([18]), scale: 3))
        let segments = try segmenter.segment(number.image, source: "pair.png")
        #expect(Self.inOrder(segments, number.extents), "\(segments.map(\.box)) vs \(number.extents)")
    }

    @Test("three touching zeros in a number are split into three")
    func touchingTriple() throws {
        let zeros = try Self.digits(try Self.indices(of: 0, count: 3))
        let number = try #require(try Self.touching(zeros, left: try Self.digits([3, 2]), right: try Self.digits([18]), scale: 3))
        let segments = try segmenter.segment(number.image, source: "triple.png")
        #expect(segments.count == 6)
        #expect(Self.inOrder(segments, number.extents))
    }

    @Test("a lone touching pair of wide digits is split")
    func lonePair() throws {
        let zeros = try Self.digits(try Self.indices(of: 0, count: 2))
        let number = try #require(try Self.touching(zeros, scale: 3))
        #expect(Self.inOrder(try segmenter.segment(number.image, source: "pair.png"), number.extents))
    }

    @Test("wide single digits are rarely split")
    func wideSingles() throws {
        let set = try MNISTTestSet.get()
        // The 100 widest digits of the first 1000: MNIST's widest tenth, where a lone wide 0 or 4 can look like
        // two touching digits (measured: 5 of the 200 widest of 2000 split).
        let wide = (0..<1000).sorted { a, b in
            let x = NumberComposer.inkColumns(set.images[a]), y = NumberComposer.inkColumns(set.images[b])
            return x.count > y.count
        }.prefix(100)
        var whole = 0
        for index in wide {
            let image = ScanRenderer().render(set.images[index], width: 120, height: 120, originX: 20, originY: 20, scale: 2.5)
            if try segmenter.segment(image, source: "wide.png").count == 1 { whole += 1 }
        }
        #expect(whole >= 97, "\(whole) of 100")
    }

    @Test("a digit broken across a horizontal gap stays one digit")
    func brokenStroke() throws {
        var image = ScanRenderer().render(try Self.digits([0])[0], width: 200, height: 200, originX: 40, originY: 40, scale: 4)
        // Erase a band of rows through the middle of the 7.
        for y in 90..<96 { for x in 0..<200 { image[x, y] = 245 } }
        let map = try InkMap(image, source: "broken", options: InkOptions())
        #expect(map.kept.count >= 2)
        #expect(try segmenter.segment(image, source: "broken.png").count == 1)
    }

    @Test("a small broken-off stroke end joins its digit")
    func fragment() throws {
        let number = NumberComposer().compose(try Self.digits([1, 3]), scale: 4, gap: 40)
        var image = number.image
        // A short dash just right of the 2's bottom stroke, not touching it.
        let right = Int(number.extents[0].upperBound)
        var bottom = 0
        for y in 0..<image.height where (0..<right).contains(where: { image[$0, y] < 128 }) { bottom = y }
        for y in (bottom - 8)..<bottom { for x in (right + 2)..<(right + 22) { image[x, y] = 25 } }
        let map = try InkMap(image, source: "fragment", options: InkOptions())
        #expect(map.kept.count == 3)
        let segments = try segmenter.segment(image, source: "fragment.png")
        #expect(segments.count == 2)
        #expect(segments.first?.box.maxX == right + 21)
    }

    @Test("a blank image has no digits")
    func blank() {
        #expect(throws: ImagingError(source: "blank.png", kind: .noDigitFound, reason: "no digit found: the image is nearly uniform (contrast 0 of 255, need 40)")) {
            try segmenter.segment(GrayImage(width: 50, height: 20, filledWith: 255), source: "blank.png")
        }
    }
}

extension SegmentationTests {
    @Test("a number on a sheet photographed on a dark table is read on the sheet, boxes in photo coordinates")
    func numberOnTable() throws {
        let number = NumberComposer(renderer: ScanRenderer(paper: 230, ink: 30)).compose(try Self.digits([5, 6, 7, 8]), scale: 2, gap: 14)
        var photo = GrayImage(width: number.image.width + 80, height: number.image.height + 60, filledWith: 45)
        for y in 0..<number.image.height { for x in 0..<number.image.width { photo[40 + x, 30 + y] = number.image[x, y] } }
        let onSheet = try segmenter.segment(number.image, source: "sheet.png")
        let inPhoto = try segmenter.segment(photo, source: "photo.png")
        #expect(inPhoto.count == 4)
        #expect(inPhoto.map(\.box) == onSheet.map { $0.box.offsetBy(x: 40, y: 30) })
    }
}
