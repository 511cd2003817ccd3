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
        /// Digits shrunk by more than this factor are binarized before area averaging (see DigitNormalizer).
        public var binarizeBelowScale = 0.5
        /// Strokes that would be thinner than this many output pixels are thickened to `strokeTarget`
        /// (MNIST's strokes are about 2–3 pixels wide).
        public var thinStroke = 1.0
        public var strokeTarget = 2.0
        /// Two components sharing at least this fraction of the narrower one's columns are one digit.
        public var mergeOverlap = 0.5
        /// Two components separated by at most this fraction of the typical digit height (in empty columns)
        /// are one digit broken by a faint stroke; if they were two, the touching-digit split separates them.
        public var joinGap = 0.04
        /// A component lower than this fraction of the typical digit height, and smaller than `fragmentArea`
        /// of the typical area, is a broken-off piece and joins its nearest neighbour.
        public var fragmentHeight = 0.5
        public var fragmentArea = 0.5
        /// A fragment further than this fraction of the typical height from every digit, or further than half
        /// the typical gap between digits, stays on its own.
        public var fragmentReach = 0.3
        /// A component wider than this multiple of its height (or the typical height, if larger) holds
        /// touching digits. In MNIST 2 % of single digits are wider than 1.3× their height, 0.5 % than 1.6×.
        public var touchingWidth = 1.6
        /// Between this and `touchingWidth`, a component is split only where the digits touch through a neck:
        /// the cut column crosses a single run of ink no longer than about one stroke width (a wide 0 or 2
        /// crosses two or three strokes there).
        public var neckedTouchingWidth = 1.2
        /// In a row with at least two other digits, a component this many times their median width holds
        /// touching digits (the width counted as at least half the height, for rows of 1s)…
        public var rowTouchingWidth = 1.6
        /// …and at least this many times its height (a wide 4 next to narrow 1s is still one digit).
        public var rowTouchingMinimum = 1.15
        /// The width of one digit, as a fraction of the typical height, when counting touching digits.
        public var digitWidth = 0.75
        /// Speckle is measured against the largest component, which in a row is the boldest digit: a thin 7's
        /// detached bar can fall under it. A component set aside as speckle is still a stroke of a digit when it
        /// has at least this fraction of the largest component's area…
        public var detachedStrokeArea = 0.01
        /// …and its box is within this fraction of the typical digit height of a digit's box.
        public var detachedStrokeReach = 0.15

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
        let (map, offsetX, offsetY) = try SheetFinder.inkMap(image, source: source, options: options.ink)
        let components = map.kept + detachedStrokes(map)
        var groups = components.map { Group(parts: [($0.label, $0.box.minX...$0.box.maxX)], box: $0.box, area: $0.area) }
        groups = mergeOverlapping(groups)
        // Split before joining fragments, so a fragment widening a digit's box can't make it look like two.
        let height = typicalHeight(groups)
        groups = groups.indices.flatMap { index in
            split(groups[index], map: map, typicalHeight: height, typicalWidth: typicalWidth(groups, excluding: index))
        }
        groups = mergeFragments(groups)
        groups.sort { ($0.box.minX + $0.box.maxX) < ($1.box.minX + $1.box.maxX) }

        return groups.map { group in
            let selection = InkSelection(labelCount: map.labeling.components.count, parts: group.parts, box: group.box)
            let pixels = DigitNormalizer.normalize(map, selection: selection, settings: normalizerSettings)
            let box = group.box.offsetBy(x: offsetX, y: offsetY)
            return DigitSegment(box: box, digit: PreprocessedDigit(pixels: pixels, size: options.canvasSize, inkBox: box, darkInk: map.darkInk))
        }
    }

    /// Components the ink map set aside as speckle that sit next to a digit and are big enough to be a stroke
    /// (a 7's or 5's bar drawn apart from the rest); they then merge like any broken piece.
    func detachedStrokes(_ map: InkMap) -> [Component] {
        let largest = map.kept.map(\.area).max() ?? 0
        let keptLabels = Set(map.kept.map(\.label))
        let minimumArea = max(options.ink.minimumComponentArea, Int((Double(largest) * options.detachedStrokeArea).rounded(.up)))
        let tallest = map.kept.map(\.box.height).max() ?? 1
        let heights = map.kept.map(\.box.height).filter { 2 * $0 >= tallest }.sorted()
        let reach = options.detachedStrokeReach * Double(heights.isEmpty ? tallest : heights[heights.count / 2])
        return map.labeling.components.filter { component in
            component.area >= minimumArea && !keptLabels.contains(component.label) && map.kept.contains { digit in
                let dx = max(0, max(component.box.minX, digit.box.minX) - min(component.box.maxX, digit.box.maxX))
                let dy = max(0, max(component.box.minY, digit.box.minY) - min(component.box.maxY, digit.box.maxY))
                return Double(max(dx, dy)) <= reach
            }
        }
    }

    private func merged(_ a: Group, _ b: Group) -> Group {
        Group(parts: a.parts + b.parts, box: a.box.union(b.box), area: a.area + b.area)
    }

    /// Pieces of one digit stacked vertically (a 5's detached bar, a broken 4) share most of their columns;
    /// pieces split by a faint vertical stroke sit next to each other.
    func mergeOverlapping(_ input: [Group]) -> [Group] {
        var groups = input
        let joinGap = options.joinGap * typicalHeight(groups)
        var changed = true
        while changed {
            changed = false
            search: for i in groups.indices {
                for j in groups.indices where j > i {
                    let a = groups[i].box, b = groups[j].box
                    let overlap = a.horizontalOverlap(with: b)
                    let emptyColumns = max(a.minX, b.minX) - min(a.maxX, b.maxX) - 1
                    if Double(overlap) >= options.mergeOverlap * Double(min(a.width, b.width)) || (overlap == 0 && Double(emptyColumns) <= joinGap) {
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
        var standalone: [Group] = []
        let height = typicalHeight(groups)
        let area = Double(median(groups.map(\.area)))
        func isFragment(_ group: Group) -> Bool {
            Double(group.box.height) < options.fragmentHeight * height && Double(group.area) < options.fragmentArea * area
        }
        // Broken strokes are much closer to their digit than digits are to each other.
        let digits = groups.filter { !isFragment($0) }.sorted { $0.box.minX < $1.box.minX }
        let gaps = zip(digits, digits.dropFirst()).map { max(0, $1.box.minX - $0.box.maxX - 1) }
        let reach = min(options.fragmentReach * height, gaps.isEmpty ? .infinity : Double(median(gaps)) / 2)
        while groups.count > 1 {
            guard let fragment = groups.indices.filter({ isFragment(groups[$0]) }).min(by: { groups[$0].area < groups[$1].area }) else { break }
            let piece = groups.remove(at: fragment)
            guard let nearest = groups.indices.min(by: { gap(piece.box, groups[$0].box) < gap(piece.box, groups[$1].box) }),
                  gap(piece.box, groups[nearest].box) <= reach else {
                standalone.append(piece)
                continue
            }
            groups[nearest] = merged(groups[nearest], piece)
        }
        return groups + standalone
    }

    /// Horizontal distance between two boxes (0 when their columns overlap), vertical distance as tie-break.
    private func gap(_ a: PixelBox, _ b: PixelBox) -> Double {
        let dx = max(0, max(a.minX, b.minX) - min(a.maxX, b.maxX))
        let dy = max(0, max(a.minY, b.minY) - min(a.maxY, b.maxY))
        return Double(dx) + Double(dy) * 0.001
    }

    /// The median width of the other full-height digits, when there are at least two of them.
    func typicalWidth(_ groups: [Group], excluding index: Int) -> Double? {
        let tallest = groups.map(\.box.height).max() ?? 1
        let others = groups.indices.filter { $0 != index && 2 * groups[$0].box.height >= tallest }.map { groups[$0].box.width }
        return others.count >= 2 ? Double(median(others)) : nil
    }

    /// The median height of the digits that are at least half as tall as the tallest.
    func typicalHeight(_ groups: [Group]) -> Double {
        let tallest = groups.map(\.box.height).max() ?? 1
        return Double(median(groups.map(\.box.height).filter { 2 * $0 >= tallest }))
    }

    /// The upper median (of two values, the larger: a digit and its fragment have the digit's size).
    private func median(_ values: [Int]) -> Int {
        let sorted = values.sorted()
        return sorted.isEmpty ? 1 : sorted[sorted.count / 2]
    }

    /// Splits a component too wide for one digit into round(width / digit width) pieces, each cut at the
    /// column with the least ink near where equal widths would put it.
    func split(_ group: Group, map: InkMap, typicalHeight height: Double, typicalWidth: Double?) -> [Group] {
        let width = group.box.width
        let reference = max(height, Double(group.box.height))
        var needsNeck = Double(width) <= options.touchingWidth * reference
        var count = max(2, Int((Double(width) / (options.digitWidth * reference)).rounded()))
        if let typicalWidth, Double(width) >= options.rowTouchingWidth * max(typicalWidth, 0.5 * reference),
           Double(width) >= options.rowTouchingMinimum * reference {
            // The other digits of the row say how wide one digit is.
            needsNeck = false
            count = max(2, Int((Double(width) / max(typicalWidth, 0.6 * reference)).rounded()))
        } else if Double(width) <= options.neckedTouchingWidth * reference {
            return [group]
        }
        let selection = InkSelection(labelCount: map.labeling.components.count, parts: group.parts, box: group.box)
        func isInk(_ x: Int, _ y: Int) -> Bool {
            selection.members[Int(map.labeling.labels[y * map.width + x])]?.contains(x) ?? false
        }
        var projection = [Int](repeating: 0, count: width)
        var runsPerColumn = [Int](repeating: 0, count: width)
        var runLengths: [Int] = []
        for x in group.box.minX...group.box.maxX {
            var run = 0
            for y in group.box.minY...group.box.maxY {
                if isInk(x, y) {
                    projection[x - group.box.minX] += 1
                    run += 1
                } else if run > 0 {
                    runLengths.append(run)
                    runsPerColumn[x - group.box.minX] += 1
                    run = 0
                }
            }
            if run > 0 {
                runLengths.append(run)
                runsPerColumn[x - group.box.minX] += 1
            }
        }
        // Most vertical runs cross a horizontal-ish stroke, so their median is about one stroke width.
        let strokeWidth = Double(median(runLengths))
        var cuts: [Int] = []
        let pitch = Double(width) / Double(count)
        for k in 1..<count {
            let expected = Double(k) * pitch
            let low = max(1, Int(expected - 0.3 * pitch)), high = min(width - 2, Int(expected + 0.3 * pitch))
            guard low <= high else { continue }
            let best = (low...high).min { a, b in
                (projection[a], abs(Double(a) - expected)) < (projection[b], abs(Double(b) - expected))
            } ?? Int(expected)
            if needsNeck && !isNeck(best, projection: projection, runs: runsPerColumn, strokeWidth: strokeWidth) { return [group] }
            cuts.append(group.box.minX + best)
        }
        var pieces: [Group] = []
        var start = group.box.minX
        for cut in cuts + [group.box.maxX + 1] where cut > start {
            if let piece = piece(of: group, columns: start...(cut - 1), selection: selection, map: map) { pieces.append(piece) }
            start = cut
        }
        // Where a neck was required, both sides must look like digits: most of the height, not a bar's end.
        if needsNeck && pieces.contains(where: { Double($0.box.height) < 0.6 * Double(group.box.height) || Double($0.box.width) < 0.4 * reference }) {
            return [group]
        }
        return pieces
    }

    /// A neck: one run of ink about a stroke wide, with much more ink in some column on each side
    /// (the bodies of two digits) — unlike the middle of a wide 0 (two strokes) or a 5's bar (nothing right of it).
    private func isNeck(_ column: Int, projection: [Int], runs: [Int], strokeWidth: Double) -> Bool {
        let ink = Double(projection[column])
        let left = Double(projection[..<column].max() ?? 0), right = Double(projection[(column + 1)...].max() ?? 0)
        return runs[column] == 1 && ink <= 1.5 * strokeWidth && min(left, right) >= 2.5 * ink
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

    var normalizerSettings: DigitNormalizer.Settings {
        DigitNormalizer.Settings(
            fitSize: options.fitSize, canvasSize: options.canvasSize, binarizeBelowScale: options.binarizeBelowScale,
            thinStroke: options.thinStroke, strokeTarget: options.strokeTarget
        )
    }
}
