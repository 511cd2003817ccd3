/// The pixels of an InkMap that make up one digit: some components, each possibly cut to a column range
/// (when touching digits were split), plus the faint below-threshold edge pixels within `fringeColumns`.
struct InkSelection {
    /// Indexed by component label: the columns of that component belonging to the digit, nil if none.
    var members: [ClosedRange<Int>?]
    var fringeColumns: ClosedRange<Int>
    /// Bounding box of the selected above-threshold pixels.
    var box: PixelBox

    /// Per label, the first and last selected column (an empty range when the label isn't selected); label 0,
    /// the unlabelled edge pixels, gets `fringeColumns` or nothing. Flat arrays for the per-pixel loops.
    func columnTable(includingFringe: Bool) -> (low: [Int], high: [Int]) {
        var low = [Int](repeating: Int.max, count: members.count), high = [Int](repeating: Int.min, count: members.count)
        for (label, columns) in members.enumerated() {
            if let columns {
                low[label] = columns.lowerBound
                high[label] = columns.upperBound
            }
        }
        if includingFringe {
            low[0] = fringeColumns.lowerBound
            high[0] = fringeColumns.upperBound
        }
        return (low, high)
    }

    init(labelCount: Int, parts: [(label: Int32, columns: ClosedRange<Int>)], box: PixelBox) {
        members = [ClosedRange<Int>?](repeating: nil, count: labelCount + 1)
        for part in parts { members[Int(part.label)] = part.columns }
        fringeColumns = (parts.map(\.columns.lowerBound).min() ?? 0)...(parts.map(\.columns.upperBound).max() ?? 0)
        self.box = box
    }
}

/// MNIST's normalisation: scale the digit's bounding box to fit `fitSize` keeping the aspect ratio
/// (anti-aliased), then place it in a `canvasSize` square so its centre of mass is at the centre.
enum DigitNormalizer {
    /// When shrinking by more than `binarizeBelowScale`, the digit's thresholded strokes (solid 255) are
    /// area-averaged instead of their grey levels: that is how MNIST was made (binary NIST scans, anti-aliased
    /// down to 20×20), and it gives MNIST's saturated stroke cores and clean background where a blurred or
    /// noisy scan's grey levels would give a dim, hazy digit. Small inputs keep their grey levels, which
    /// already are anti-aliasing.
    ///
    /// Strokes thinner than `thinStroke` output pixels (a fine pen on a large page) are first thickened
    /// (binary dilation at source resolution) to about `strokeTarget`, MNIST's typical width, instead of
    /// fading into a faint one-pixel trace.
    struct Settings {
        var fitSize: Int
        var canvasSize: Int
        var binarizeBelowScale: Double
        var thinStroke: Double
        var strokeTarget: Double
    }

    static func normalize(_ map: InkMap, selection: InkSelection, settings: Settings) -> [UInt8] {
        let box = selection.box
        let longer = Double(max(box.width, box.height))
        let fit = Double(settings.fitSize)
        let fitScale = fit / longer
        let binary = fitScale < settings.binarizeBelowScale
        // Two output pixels' worth of paper around the box keep anti-aliased edges; binary digits get room for
        // the largest stroke thickening too. Not clipped to the image (outside counts as paper).
        let margin = Int(((binary ? 3.5 : 2) / fitScale).rounded(.up)) + (binary ? 2 : 1)
        let region = PixelBox(minX: box.minX - margin, minY: box.minY - margin, maxX: box.maxX + margin, maxY: box.maxY + margin)
        var cut = [UInt8](repeating: 0, count: region.width * region.height)
        let columns = selection.columnTable(includingFringe: !binary)
        let inkTable = map.inkTable
        map.luminance.withUnsafeBufferPointer { luminance in
            map.labeling.labels.withUnsafeBufferPointer { labels in
                columns.low.withUnsafeBufferPointer { low in
                    columns.high.withUnsafeBufferPointer { high in
                        inkTable.withUnsafeBufferPointer { inkTable in
                            cut.withUnsafeMutableBufferPointer { cut in
                                for y in max(0, region.minY)...min(map.height - 1, region.maxY) {
                                    let row = y * map.width, out = (y - region.minY) * region.width - region.minX
                                    for x in max(0, region.minX)...min(map.width - 1, region.maxX) {
                                        let label = Int(labels[row + x])
                                        if x >= low[label] && x <= high[label] {
                                            cut[out + x] = binary ? 255 : inkTable[Int(luminance[row + x])]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var scale = fitScale, dilation = 0
        if binary {
            let inkBox = PixelBox(minX: margin, minY: margin, maxX: margin + box.width - 1, maxY: margin + box.height - 1)
            let stroke = StrokeWidth.estimate(cut, width: region.width, height: region.height, box: inkBox)
            if stroke * fitScale < settings.thinStroke {
                dilation = max(1, Int(((settings.strokeTarget / fitScale - stroke) / 2).rounded(.up)))
                StrokeWidth.dilate(&cut, width: region.width, height: region.height, radius: dilation)
                // The thickened strokes grow the box by the dilation on each side; fit that to the 20×20 instead.
                scale = fit / (longer + 2 * Double(dilation))
            }
        }
        // The output grid is anchored so the ink box's top-left corner falls exactly on output pixel 2: every
        // scale and position then samples the strokes with the same phase (a tight crop, a roomy page, a
        // digit 3× or 12× enlarged all give the same 28×28).
        let anchor = Double(margin - dilation) - 2 / scale
        let whole = PixelBox(minX: 0, minY: 0, maxX: region.width - 1, maxY: region.height - 1)
        let scaled = AreaResampler.resample(cut, sourceWidth: region.width, region: whole, scale: scale, origin: (anchor, anchor))
        return centerByMass(scaled.pixels, width: scaled.width, height: scaled.height, canvasSize: settings.canvasSize)
    }

    /// Shifts by whole pixels so the intensity-weighted centre (in pixel-index coordinates) lands on
    /// canvasSize/2, as MNIST did (its digits' mean centre of mass is (14.0, 14.0)); what falls outside is cut.
    /// The peak is stretched to 255: every MNIST digit peaks at 254 or 255, while area averaging leaves a
    /// thin stroke's core a little below.
    static func centerByMass(_ pixels: [Float], width: Int, height: Int, canvasSize: Int) -> [UInt8] {
        let peak = pixels.max() ?? 0
        let gain: Float = peak > 0 ? 255 / peak : 1
        var mass: Double = 0, sumX: Double = 0, sumY: Double = 0
        for y in 0..<height {
            for x in 0..<width {
                let value = Double(max(0, pixels[y * width + x]))
                mass += value
                sumX += value * Double(x)
                sumY += value * Double(y)
            }
        }
        let centerX = mass > 0 ? sumX / mass : Double(width - 1) / 2
        let centerY = mass > 0 ? sumY / mass : Double(height - 1) / 2
        let shiftX = Int((Double(canvasSize) / 2 - centerX).rounded())
        let shiftY = Int((Double(canvasSize) / 2 - centerY).rounded())
        var canvas = [UInt8](repeating: 0, count: canvasSize * canvasSize)
        for y in 0..<height {
            let targetY = y + shiftY
            guard targetY >= 0 && targetY < canvasSize else { continue }
            for x in 0..<width {
                let targetX = x + shiftX
                guard targetX >= 0 && targetX < canvasSize else { continue }
                canvas[targetY * canvasSize + targetX] = UInt8(clamping: Int((pixels[y * width + x] * gain).rounded()))
            }
        }
        return canvas
    }
}
