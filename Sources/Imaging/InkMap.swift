import ModelIO

/// Tunables of ink detection, shared by single-digit preprocessing and segmentation.
public struct InkOptions: Sendable, Equatable {
    /// Minimum luminance difference between paper and ink (0…255); fainter images have "no digit".
    public var minimumContrast = 40
    /// Components smaller than this fraction of the largest one are speckle and ignored.
    public var speckleFraction = 0.04
    /// Where a stroke's edge is, as a fraction of the solid ink level. 0.5 would be the half-intensity edge;
    /// 0.4 gives slightly bolder strokes, which scored best on rendered scans (3-NN on 60k MNIST training
    /// digits, 5000 scanning-style renders of t10k: 0.25 → 95.9 %, 0.35 → 95.9 %, 0.4 → 96.2 %, 0.5 → 95.6 %,
    /// plain Otsu → 96.1 %; the same 5000 originals → 95.7 %).
    public var edgeLevel = 0.4

    /// Components smaller than this many pixels are always speckle.
    public var minimumComponentArea = 3

    public init() {}
}

/// Where the ink is in a scan: paper/ink polarity from the border, the ink threshold, 8-connected components
/// with speckle set aside, and a table giving contrast-stretched ink (0 = paper, 255 = solid ink) like MNIST's.
/// Readers take pixels only from the components they select (plus unlabelled edge pixels), so speckle never
/// reaches a digit.
struct InkMap {
    let width: Int
    let height: Int
    /// The source luminance, and the table from luminance to stretched ink (0 = paper … 255 = ink, the paper's
    /// noise floor removed).
    let luminance: [UInt8]
    let inkTable: [UInt8]
    var labeling: ComponentLabeling
    /// The components that are ink rather than speckle, left to right by their first column.
    var kept: [Component]
    /// True when the ink is darker than the paper (the usual scan); MNIST itself is light ink on black.
    let darkInk: Bool

    init(_ image: GrayImage, source: String, options: InkOptions) throws(ImagingError) {
        guard image.width > 0, image.height > 0 else {
            throw ImagingError(source: source, kind: .unusableImage, reason: "the image is \(image.width)×\(image.height) pixels, nothing to read")
        }
        width = image.width
        height = image.height
        let all = Histogram(image.pixels)
        let border = Self.borderHistogram(image)
        let paper = border.median
        // Ignore the most extreme 0.005 % of pixels so a few hot pixels don't decide the polarity.
        let outliers = image.pixels.count / 20_000
        let darkest = all.value(atRank: outliers), brightest = all.value(atRankFromTop: outliers)
        darkInk = paper - darkest >= brightest - paper
        let contrast = darkInk ? paper - darkest : brightest - paper
        guard contrast >= options.minimumContrast else {
            throw ImagingError(source: source, kind: .noDigitFound, reason: "no digit found: the image is nearly uniform (contrast \(contrast) of 255, need \(options.minimumContrast))")
        }
        // Robust σ of the paper's noise, from the border's median absolute deviation.
        let noise = Double(border.medianAbsoluteDeviation(from: paper)) * 1.4826

        var rawTable = [UInt8](repeating: 0, count: 256)
        for value in 0..<256 { rawTable[value] = UInt8(clamping: darkInk ? paper - value : value - paper) }
        // The raw ink's histogram is the luminance histogram pushed through the same table.
        var rawHistogram = Histogram()
        for value in 0..<256 { rawHistogram.counts[Int(rawTable[value])] += all.counts[value] }
        rawHistogram.total = all.total
        let otsu = rawHistogram.otsu()
        guard otsu.upperMean - otsu.lowerMean >= max(Double(options.minimumContrast) / 2, 5 * noise) else {
            throw ImagingError(source: source, kind: .noDigitFound, reason: "no digit found: only noise (ink \(Int(otsu.upperMean.rounded())) vs paper noise σ \(Int(noise.rounded())))")
        }
        // Otsu separates ink from paper but drifts with the ink's share of the image, which changes the
        // binarized stroke width between a tight crop and a whole page. So Otsu only finds the strokes; the
        // edge is put at a fixed fraction of their solid level (90th percentile above Otsu's threshold).
        var above = Histogram()
        for value in (otsu.threshold + 1)..<256 { above.counts[value] = rawHistogram.counts[value] }
        above.total = above.counts.reduce(0, +)
        let solidLevel = above.total > 0 ? above.value(atRankFromTop: above.total / 10) : otsu.threshold
        let edge = Int((Double(solidLevel) * options.edgeLevel).rounded())
        let threshold = UInt8(min(max(edge, contrast / 5), contrast * 4 / 5))

        labeling = ComponentLabeling(values: image.pixels, width: width, height: height, isInk: rawTable.map { $0 > threshold })
        let largest = labeling.components.map(\.area).max() ?? 0
        let minimumArea = max(options.minimumComponentArea, Int((Double(largest) * options.speckleFraction).rounded(.up)))
        kept = labeling.components.filter { $0.area >= minimumArea }.sorted { ($0.box.minX, $0.box.minY) < ($1.box.minX, $1.box.minY) }
        guard !kept.isEmpty else {
            throw ImagingError(source: source, kind: .noDigitFound, reason: "no digit found: only specks of ink smaller than \(minimumArea) pixels")
        }

        // Stretch so solid strokes (90th percentile above the threshold) reach 255 and the paper's noise floor
        // goes to 0. Applied through a table when pixels are read, so no ink image is ever materialised.
        var strokeValues = Histogram()
        for value in (Int(threshold) + 1)..<256 { strokeValues.counts[value] = rawHistogram.counts[value] }
        strokeValues.total = strokeValues.counts.reduce(0, +)
        let floor = min(Double(threshold) / 2, 3 * noise)
        let solid = max(Double(strokeValues.value(atRankFromTop: strokeValues.total / 10)), floor + 1)
        var inkTable = [UInt8](repeating: 0, count: 256)
        for value in 0..<256 {
            let stretched = (Double(rawTable[value]) - floor) * 255 / (solid - floor)
            inkTable[value] = UInt8(clamping: Int(stretched.rounded()))
        }
        self.inkTable = inkTable
        luminance = image.pixels
    }

    /// The outer band of the image (1/64 of the shorter side, at least 1 pixel), which is usually paper.
    private static func borderHistogram(_ image: GrayImage) -> Histogram {
        let band = max(1, min(image.width, image.height) / 64)
        var histogram = Histogram()
        let width = image.width
        for y in 0..<image.height {
            let row = y * width
            if y < band || y >= image.height - band {
                for x in 0..<width { histogram.add(image.pixels[row + x]) }
            } else {
                for x in 0..<min(band, width) { histogram.add(image.pixels[row + x]) }
                for x in max(band, width - band)..<width { histogram.add(image.pixels[row + x]) }
            }
        }
        return histogram
    }
}
