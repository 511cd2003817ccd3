import ModelIO

/// A digit normalised the way MNIST's were: `size`×`size`, 0 = background, 255 = ink.
public struct PreprocessedDigit: Sendable, Equatable {
    public var pixels: [UInt8]
    public var size: Int
    /// Where the ink was found in the source image.
    public var inkBox: PixelBox
    /// True when the source had dark ink on light paper (and was inverted).
    public var darkInk: Bool

    public init(pixels: [UInt8], size: Int, inkBox: PixelBox, darkInk: Bool) {
        self.pixels = pixels
        self.size = size
        self.inkBox = inkBox
        self.darkInk = darkInk
    }

    /// As a grayscale image (ink bright, as the model sees it).
    public var image: GrayImage { GrayImage(width: size, height: size, pixels: pixels) }
}

/// Turns a photo or scan of one handwritten digit into MNIST's format: polarity detected from the border
/// (dark ink on light paper or the reverse), ink found with Otsu's threshold ignoring speckle, cropped to
/// the ink's bounding box, scaled to fit `fitSize` keeping the aspect ratio with area averaging, and
/// centred by centre of mass in a `canvasSize` square.
public struct DigitPreprocessor: Sendable {
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

        public init() {}
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    public func preprocess(_ image: GrayImage, source: String) throws(ImagingError) -> PreprocessedDigit {
        let (map, offsetX, offsetY) = try SheetFinder.inkMap(image, source: source, options: options.ink)
        let box = map.kept.dropFirst().reduce(map.kept[0].box) { $0.union($1.box) }
        let everything = 0...(map.width - 1)
        let selection = InkSelection(labelCount: map.labeling.components.count, parts: map.kept.map { ($0.label, everything) }, box: box)
        let pixels = DigitNormalizer.normalize(map, selection: selection, settings: normalizerSettings)
        return PreprocessedDigit(pixels: pixels, size: options.canvasSize, inkBox: box.offsetBy(x: offsetX, y: offsetY), darkInk: map.darkInk)
    }

    var normalizerSettings: DigitNormalizer.Settings {
        DigitNormalizer.Settings(
            fitSize: options.fitSize, canvasSize: options.canvasSize, binarizeBelowScale: options.binarizeBelowScale,
            thinStroke: options.thinStroke, strokeTarget: options.strokeTarget
        )
    }
}
