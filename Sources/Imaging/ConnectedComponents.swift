/// One 8-connected blob of above-threshold pixels.
struct Component {
    var label: Int32
    var area: Int
    var box: PixelBox
    /// Σ x over its pixels, for the horizontal centroid.
    var sumX: Double

    var centroidX: Double { sumX / Double(area) }
}

/// 8-connected component labelling of the pixels whose value `isInk` marks (a 256-entry table), run-based: each row's runs are joined to the
/// previous row's runs they touch (diagonals included) with union-find, so the cost is linear in the pixels.
struct ComponentLabeling {
    let width: Int
    let height: Int
    /// Per pixel: 0 for background, otherwise the component's label (1-based, dense).
    var labels: [Int32]
    /// Indexed by label − 1.
    var components: [Component]

    init(values: [UInt8], width: Int, height: Int, isInk: [Bool]) {
        self.width = width
        self.height = height
        var runStart: [Int32] = [], runEnd: [Int32] = [], runRow: [Int32] = []
        var parent: [Int32] = []
        var previousRows = 0..<0

        func find(_ run: Int32) -> Int32 {
            var root = run
            while parent[Int(root)] != root { root = parent[Int(root)] }
            var node = run
            while parent[Int(node)] != root {
                let next = parent[Int(node)]
                parent[Int(node)] = root
                node = next
            }
            return root
        }

        values.withUnsafeBufferPointer { pixels in
          isInk.withUnsafeBufferPointer { isInk in
            for y in 0..<height {
                let rowStart = runStart.count
                var x = 0
                let base = y * width
                while x < width {
                    if isInk[Int(pixels[base + x])] {
                        let start = x
                        while x < width && isInk[Int(pixels[base + x])] { x += 1 }
                        runStart.append(Int32(start))
                        runEnd.append(Int32(x - 1))
                        runRow.append(Int32(y))
                        parent.append(Int32(parent.count))
                    } else {
                        x += 1
                    }
                }
                // Join with touching runs of the row above (two pointers over both sorted run lists).
                var above = previousRows.lowerBound
                for run in rowStart..<runStart.count {
                    while above < previousRows.upperBound && runEnd[above] < runStart[run] - 1 { above += 1 }
                    var candidate = above
                    while candidate < previousRows.upperBound && runStart[candidate] <= runEnd[run] + 1 {
                        let a = find(Int32(run)), b = find(Int32(candidate))
                        if a != b { parent[Int(max(a, b))] = min(a, b) }
                        candidate += 1
                    }
                }
                previousRows = rowStart..<runStart.count
            }
          }
        }

        var labelOfRoot = [Int32](repeating: 0, count: parent.count)
        var components: [Component] = []
        var labels = [Int32](repeating: 0, count: width * height)
        for run in 0..<parent.count {
            let root = Int(find(Int32(run)))
            if labelOfRoot[root] == 0 {
                components.append(Component(label: Int32(components.count + 1), area: 0, box: PixelBox(minX: Int.max, minY: Int.max, maxX: -1, maxY: -1), sumX: 0))
                labelOfRoot[root] = Int32(components.count)
            }
            let label = labelOfRoot[root]
            let start = Int(runStart[run]), end = Int(runEnd[run]), y = Int(runRow[run])
            let length = end - start + 1
            components[Int(label) - 1].area += length
            components[Int(label) - 1].sumX += Double(start + end) * Double(length) / 2
            components[Int(label) - 1].box = components[Int(label) - 1].box.union(PixelBox(minX: start, minY: y, maxX: end, maxY: y))
            labels.withUnsafeMutableBufferPointer { buffer in
                for x in start...end { buffer[y * width + x] = label }
            }
        }
        self.labels = labels
        self.components = components
    }
}
