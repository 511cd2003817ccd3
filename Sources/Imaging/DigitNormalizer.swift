/// The pixels of an InkMap that make up one digit: some components, each possibly cut to a column range
/// (when touching digits were split), plus the faint below-threshold edge pixels within `fringeColumns`.
struct InkSelection {
    /// Indexed by component label: the columns of that component belonging to the digit, nil if none.
    var members: [ClosedRange<Int>?]
    var fringeColumns: ClosedRange<Int>
    /// Bounding box of the selected above-threshold pixels.
    var box: PixelBox

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
        let binary = fit / longer < settings.binarizeBelowScale
        var dilation = 0
        if binary {
            let stroke = StrokeWidth.estimate(map, selection: selection)
            if stroke * fit / longer < settings.thinStroke {
                dilation = max(0, Int(((settings.strokeTarget * longer / fit - stroke) / 2).rounded(.up)))
            }
        }
        // The thickened strokes grow the box by the dilation on each side; fit that to the 20×20 instead.
        let scale = fit / (longer + 2 * Double(dilation))
        // Keep two output pixels' worth of paper around the box so anti-aliased stroke edges survive.
        let margin = Int((2 / scale).rounded(.up)) + dilation
        // Not clipped to the image (outside counts as paper): the output grid stays anchored to the ink's box,
        // so a tight crop and a roomy page resample with the same phase and give the same digit.
        let region = PixelBox(minX: box.minX - margin, minY: box.minY - margin, maxX: box.maxX + margin, maxY: box.maxY + margin)
        var cut = [UInt8](repeating: 0, count: region.width * region.height)
        map.ink.withUnsafeBufferPointer { ink in
            map.labeling.labels.withUnsafeBufferPointer { labels in
                for y in max(0, region.minY)...min(map.height - 1, region.maxY) {
                    for x in max(0, region.minX)...min(map.width - 1, region.maxX) {
                        let index = y * map.width + x
                        let label = Int(labels[index])
                        let selected = label == 0 ? !binary && selection.fringeColumns.contains(x) : selection.members[label]?.contains(x) ?? false
                        if selected {
                            cut[(y - region.minY) * region.width + (x - region.minX)] = binary ? 255 : ink[index]
                        }
                    }
                }
            }
        }
        if dilation > 0 { StrokeWidth.dilate(&cut, width: region.width, height: region.height, radius: dilation) }
        let whole = PixelBox(minX: 0, minY: 0, maxX: region.width - 1, maxY: region.height - 1)
        let scaled = AreaResampler.resample(cut, sourceWidth: region.width, region: whole, scale: scale)
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
