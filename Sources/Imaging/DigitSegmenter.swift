import ModelIO

/// One digit found in a row of handwriting, preprocessed like a single digit.
public struct DigitSegment: Sendable, Equatable {
    /// The digit's ink in the source image.
    public var box: PixelBox
    public var digit: PreprocessedDigit

    public init(box: PixelBox, digit: PreprocessedDigit) {
        self.box = box
        self.digit = digit
    }
}

/// Splits an image of a number written in one row (an amount, a code) into its digits, left to right:
/// 8-connected ink components, with broken strokes merged back (components sharing most of their columns,
/// small fragments joined to the nearest digit) and touching digits split at the column of least ink.
public struct DigitSegmenter: Sendable {
    public struct Options: Sendable, Equatable {
        public var ink = InkOptions()
        public var fitSize = 20
        public var canvasSize = 28
        /// Two components sharing at least this fraction of the narrower one's columns are one digit.
        public var mergeOverlap = 0.5
        /// A component lower than this fraction of the typical digit height, and smaller than `fragmentArea`
        /// of the typical area, is a broken-off piece and joins its nearest neighbour.
        public var fragmentHeight = 0.5
        public var fragmentArea = 0.5
        /// A component wider than this multiple of the typical digit height holds touching digits.
        public var touchingWidth = 1.15
        /// The width of one digit, as a fraction of the typical height, when counting touching digits.
        public var digitWidth = 0.75

        public init() {}
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Components forming one digit, each possibly cut to a column range.
    struct Group {
        var parts: [(label: Int32, columns: ClosedRange<Int>)]
        var box: PixelBox
        var area: Int
    }

    public func segment(_ image: GrayImage, source: String) throws(ImagingError) -> [DigitSegment] {
        let map = try InkMap(image, source: source, options: options.ink)
        var groups = map.kept.map { Group(parts: [($0.label, $0.box.minX...$0.box.maxX)], box: $0.box, area: $0.area) }
        groups = mergeOverlapping(groups)
        // Split before joining fragments, so a fragment widening a digit's box can't make it look like two.
        let height = typicalHeight(groups)
        groups = groups.flatMap { split($0, map: map, typicalHeight: height) }
        groups = mergeFragments(groups)
        groups.sort { ($0.box.minX + $0.box.maxX) < ($1.box.minX + $1.box.maxX) }

        return groups.map { group in
            let selection = InkSelection(labelCount: map.labeling.components.count, parts: group.parts, box: group.box)
            let pixels = DigitNormalizer.normalize(map, selection: selection, fitSize: options.fitSize, canvasSize: options.canvasSize)
            return DigitSegment(box: group.box, digit: PreprocessedDigit(pixels: pixels, size: options.canvasSize, inkBox: group.box, darkInk: map.darkInk))
        }
    }

    private func merged(_ a: Group, _ b: Group) -> Group {
        Group(parts: a.parts + b.parts, box: a.box.union(b.box), area: a.area + b.area)
    }

    /// Pieces of one digit stacked vertically (a 5's detached bar, a broken 4) share most of their columns.
    func mergeOverlapping(_ input: [Group]) -> [Group] {
        var groups = input
        var changed = true
        while changed {
            changed = false
            search: for i in groups.indices {
                for j in groups.indices where j > i {
                    let overlap = groups[i].box.horizontalOverlap(with: groups[j].box)
                    if Double(overlap) >= options.mergeOverlap * Double(min(groups[i].box.width, groups[j].box.width)) {
                        groups[i] = merged(groups[i], groups[j])
                        groups.remove(at: j)
                        changed = true
                        break search
                    }
                }
            }
        }
        return groups
    }

    /// Small, low pieces (a stroke end that didn't connect) join the digit whose box is nearest horizontally.
    func mergeFragments(_ input: [Group]) -> [Group] {
        var groups = input
        while groups.count > 1 {
            let height = typicalHeight(groups)
            let area = median(groups.map(\.area))
            guard let fragment = groups.indices.filter({
                Double(groups[$0].box.height) < options.fragmentHeight * height && Double(groups[$0].area) < options.fragmentArea * Double(area)
            }).min(by: { groups[$0].area < groups[$1].area }) else { break }
            let piece = groups.remove(at: fragment)
            let nearest = groups.indices.min { gap(piece.box, groups[$0].box) < gap(piece.box, groups[$1].box) } ?? 0
            groups[nearest] = merged(groups[nearest], piece)
        }
        return groups
    }

    /// Horizontal distance between two boxes (0 when their columns overlap), vertical distance as tie-break.
    private func gap(_ a: PixelBox, _ b: PixelBox) -> Double {
        let dx = max(0, max(a.minX, b.minX) - min(a.maxX, b.maxX))
        let dy = max(0, max(a.minY, b.minY) - min(a.maxY, b.maxY))
        return Double(dx) + Double(dy) * 0.001
    }

    /// The median height of the digits that are at least half as tall as the tallest.
    func typicalHeight(_ groups: [Group]) -> Double {
        let tallest = groups.map(\.box.height).max() ?? 1
        return Double(median(groups.map(\.box.height).filter { 2 * $0 >= tallest }))
    }

    private func median(_ values: [Int]) -> Int {
        let sorted = values.sorted()
        return sorted.isEmpty ? 1 : sorted[(sorted.count - 1) / 2]
    }

    /// Splits a component too wide for one digit into round(width / digit width) pieces, each cut at the
    /// column with the least ink near where equal widths would put it.
    func split(_ group: Group, map: InkMap, typicalHeight height: Double) -> [Group] {
        let width = group.box.width
        guard Double(width) > options.touchingWidth * height else { return [group] }
        let count = max(2, Int((Double(width) / (options.digitWidth * height)).rounded()))
        let selection = InkSelection(labelCount: map.labeling.components.count, parts: group.parts, box: group.box)
        var projection = [Int](repeating: 0, count: width)
        for y in group.box.minY...group.box.maxY {
            for x in group.box.minX...group.box.maxX where selection.members[Int(map.labeling.labels[y * map.width + x])]?.contains(x) ?? false {
                projection[x - group.box.minX] += 1
            }
        }
        var cuts: [Int] = []
        let pitch = Double(width) / Double(count)
        for k in 1..<count {
            let expected = Double(k) * pitch
            let low = max(1, Int(expected - 0.3 * pitch)), high = min(width - 2, Int(expected + 0.3 * pitch))
            guard low <= high else { continue }
            let best = (low...high).min { a, b in
                (projection[a], abs(Double(a) - expected)) < (projection[b], abs(Double(b) - expected))
            } ?? Int(expected)
            cuts.append(group.box.minX + best)
        }
        var pieces: [Group] = []
        var start = group.box.minX
        for cut in cuts + [group.box.maxX + 1] where cut > start {
            if let piece = piece(of: group, columns: start...(cut - 1), selection: selection, map: map) { pieces.append(piece) }
            start = cut
        }
        return pieces
    }

    /// The part of `group` within `columns`, with its own bounding box; nil if it has no ink there.
    private func piece(of group: Group, columns: ClosedRange<Int>, selection: InkSelection, map: InkMap) -> Group? {
        var box: PixelBox? = nil
        var area = 0
        for y in group.box.minY...group.box.maxY {
            for x in columns where selection.members[Int(map.labeling.labels[y * map.width + x])]?.contains(x) ?? false {
                let point = PixelBox(minX: x, minY: y, maxX: x, maxY: y)
                box = box?.union(point) ?? point
                area += 1
            }
        }
        guard let box else { return nil }
        let parts = group.parts.compactMap { part -> (label: Int32, columns: ClosedRange<Int>)? in
            let lower = max(part.columns.lowerBound, columns.lowerBound), upper = min(part.columns.upperBound, columns.upperBound)
            return lower <= upper ? (part.label, lower...upper) : nil
        }
        return Group(parts: parts, box: box, area: area)
    }
}
