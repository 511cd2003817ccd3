import ModelIO

/// Why PNG bytes could not become digits: the PNG itself, or what was (not) on it.
public enum DigitInputError: Error, CustomStringConvertible, Sendable, Equatable {
    case png(PNGError)
    case imaging(ImagingError)

    public var description: String {
        switch self {
        case .png(let error): error.description
        case .imaging(let error): error.description
        }
    }

    /// True when the bytes are not a PNG at all (HTTP 415); every other failure is about the content (422).
    public var isUnsupportedFormat: Bool {
        if case .png(let error) = self { return error.kind == .notPNG }
        return false
    }
}

/// One call from PNG (bytes of an upload, or a file) to MNIST-style digits, for the CLI and the server.
public enum DigitInput {
    public static func digit(png bytes: [UInt8], source: String, maxPixels: Int = PNGDecoder.defaultMaxPixels, preprocessor: DigitPreprocessor = DigitPreprocessor()) throws(DigitInputError) -> PreprocessedDigit {
        let image = try decode { () throws(PNGError) in try PNGDecoder.decode(bytes, source: source, maxPixels: maxPixels) }
        return try preprocess { () throws(ImagingError) in try preprocessor.preprocess(image, source: source) }
    }

    public static func digit(pngFile path: String, maxPixels: Int = PNGDecoder.defaultMaxPixels, preprocessor: DigitPreprocessor = DigitPreprocessor()) throws(DigitInputError) -> PreprocessedDigit {
        let image = try decode { () throws(PNGError) in try PNGDecoder.decode(contentsOf: path, maxPixels: maxPixels) }
        return try preprocess { () throws(ImagingError) in try preprocessor.preprocess(image, source: path) }
    }

    /// The digits of a number written in one row, left to right.
    public static func number(png bytes: [UInt8], source: String, maxPixels: Int = PNGDecoder.defaultMaxPixels, segmenter: DigitSegmenter = DigitSegmenter()) throws(DigitInputError) -> [DigitSegment] {
        let image = try decode { () throws(PNGError) in try PNGDecoder.decode(bytes, source: source, maxPixels: maxPixels) }
        return try preprocess { () throws(ImagingError) in try segmenter.segment(image, source: source) }
    }

    public static func number(pngFile path: String, maxPixels: Int = PNGDecoder.defaultMaxPixels, segmenter: DigitSegmenter = DigitSegmenter()) throws(DigitInputError) -> [DigitSegment] {
        let image = try decode { () throws(PNGError) in try PNGDecoder.decode(contentsOf: path, maxPixels: maxPixels) }
        return try preprocess { () throws(ImagingError) in try segmenter.segment(image, source: path) }
    }

    private static func decode(_ body: () throws(PNGError) -> GrayImage) throws(DigitInputError) -> GrayImage {
        do { return try body() } catch { throw .png(error) }
    }

    private static func preprocess<T>(_ body: () throws(ImagingError) -> T) throws(DigitInputError) -> T {
        do { return try body() } catch { throw .imaging(error) }
    }
}
