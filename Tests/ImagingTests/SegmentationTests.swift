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
        Array(try MNISTTestSet.get().labels.indices.filter { try! MNISTTestSet.get().labels[$0] == label }.prefix(count))
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

    @Test("two touching zeros are split into two digits")
    func touchingPair() throws {
        let zeros = try Self.indices(of: 0, count: 6)
        for pair in [(zeros[0], zeros[1]), (zeros[2], zeros[3]), (zeros[4], zeros[5])] {
            let number = NumberComposer().compose(try Self.digits([pair.0, pair.1]), scale: 3, gap: -9)
            let map = try InkMap(number.image, source: "pair", options: InkOptions())
            #expect(map.kept.count == 1, "the pair should touch")
            let segments = try segmenter.segment(number.image, source: "pair.png")
            #expect(Self.inOrder(segments, number.extents), "\(segments.map(\.box))")
        }
    }

    @Test("three touching digits are split into three")
    func touchingTriple() throws {
        let number = NumberComposer().compose(try Self.digits(try Self.indices(of: 0, count: 3)), scale: 3, gap: -9)
        let segments = try segmenter.segment(number.image, source: "triple.png")
        #expect(segments.count == 3)
        #expect(Self.inOrder(segments, number.extents))
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
