import Dispatch
import Imaging
import ModelIO
import Runtime
import Synchronization

/// PNG bytes in, digits out: decoding (libpng), MNIST-style preprocessing or segmentation, and a compiled
/// predictor. Shareable between threads and tasks: each call borrows a predictor from a pool (predictors own
/// scratch memory and are not thread-safe) and returns it, so the pool grows to the peak concurrency only.
public final class Recognizer: Sendable {
    public let info: ModelInfo
    public let path: KernelPath
    public let maxPixels: Int
    private let entry: ModelRegistry.Entry
    private let preprocessor: DigitPreprocessor
    private let segmenter: DigitSegmenter
    private let idle = Mutex<[Lease]>([])

    public init(entry: ModelRegistry.Entry, path: KernelPath, maxPixels: Int = PNGDecoder.defaultMaxPixels,
                preprocessor: DigitPreprocessor = DigitPreprocessor(), segmenter: DigitSegmenter = DigitSegmenter()) {
        self.entry = entry
        self.info = entry.info
        self.path = path
        self.maxPixels = maxPixels
        self.preprocessor = preprocessor
        self.segmenter = segmenter
    }

    /// One digit from PNG bytes. `source` names the file or upload in error messages.
    public func predict(png bytes: [UInt8], source: String) throws(RecognitionError) -> (DigitPrediction, StageTimes) {
        var times = StageTimes()
        let image = try decode(bytes, source: source, times: &times)
        return try predict(image, source: source, times: times)
    }

    private func predict(_ image: GrayImage, source: String, times: StageTimes) throws(RecognitionError) -> (DigitPrediction, StageTimes) {
        var times = times
        let start = DispatchTime.now().uptimeNanoseconds
        let input: PreprocessedDigit
        do { input = try preprocessor.preprocess(image, source: source) }
        catch { throw RecognitionError(.imaging(error)) }
        times.preprocess = seconds(since: start)
        let inferenceStart = DispatchTime.now().uptimeNanoseconds
        let prediction = try predict(input)
        times.inference = seconds(since: inferenceStart)
        return (prediction, times)
    }

    /// A number written in one row, from PNG bytes.
    public func read(png bytes: [UInt8], source: String) throws(RecognitionError) -> (NumberReading, StageTimes) {
        var times = StageTimes()
        let image = try decode(bytes, source: source, times: &times)
        return try read(image, source: source, times: times)
    }

    private func read(_ image: GrayImage, source: String, times: StageTimes) throws(RecognitionError) -> (NumberReading, StageTimes) {
        var times = times
        let start = DispatchTime.now().uptimeNanoseconds
        let segments: [DigitSegment]
        do { segments = try segmenter.segment(image, source: source) }
        catch { throw RecognitionError(.imaging(error)) }
        times.preprocess = seconds(since: start)
        let inferenceStart = DispatchTime.now().uptimeNanoseconds
        var digits: [DigitPrediction] = []
        for segment in segments {
            var prediction = try predict(segment.digit)
            prediction.input.inkBox = segment.box
            digits.append(prediction)
        }
        times.inference = seconds(since: inferenceStart)
        return (NumberReading(digits: digits), times)
    }

    /// One digit from a PNG file: the header is checked (signature, pixel limit) before the rest is read, so a
    /// huge or non-PNG file fails fast. Reading the file counts as decoding time.
    public func predict(pngFile path: String) throws(RecognitionError) -> (DigitPrediction, StageTimes) {
        var times = StageTimes()
        let image = try decode(file: path, times: &times)
        return try predict(image, source: path, times: times)
    }

    /// A number written in one row, from a PNG file (header checked first, as for `predict(pngFile:)`).
    public func read(pngFile path: String) throws(RecognitionError) -> (NumberReading, StageTimes) {
        var times = StageTimes()
        let image = try decode(file: path, times: &times)
        return try read(image, source: path, times: times)
    }

    /// Runs the model on an already preprocessed digit (`input.pixels` must be the model's input size).
    public func predict(_ input: PreprocessedDigit) throws(RecognitionError) -> DigitPrediction {
        let logits = try logits(of: input.pixels)
        let probabilities = ClassProbabilities.softmax(logits: logits, info: info)
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return DigitPrediction(digit: best, confidence: probabilities[best], probabilities: probabilities,
                               logits: logits, input: input)
    }

    /// Int8 logits of raw model input (e.g. an MNIST test image).
    public func logits(of pixels: [UInt8]) throws(RecognitionError) -> [Int8] {
        let predictor = borrow()
        defer { giveBack(predictor) }
        do { return try predictor.predict(pixels) }
        catch { throw RecognitionError(kind: .model, description: "\(info.name): \(error.description)") }
    }

    private func decode(_ bytes: [UInt8], source: String, times: inout StageTimes) throws(RecognitionError) -> GrayImage {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { times.decode = seconds(since: start) }
        do { return try PNGDecoder.decode(bytes, source: source, maxPixels: maxPixels) }
        catch { throw RecognitionError(.png(error)) }
    }

    private func decode(file path: String, times: inout StageTimes) throws(RecognitionError) -> GrayImage {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { times.decode = seconds(since: start) }
        do { return try PNGDecoder.decode(contentsOf: path, maxPixels: maxPixels) }
        catch { throw RecognitionError(.png(error)) }
    }

    private func borrow() -> any Predictor {
        if let lease = idle.withLock({ $0.popLast() }) { return lease.predictor }
        return entry.make(path)
    }

    private func giveBack(_ predictor: any Predictor) {
        let lease = Lease(predictor)
        idle.withLock { $0.append(lease) }
    }

    private func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// A predictor parked in the pool. Unchecked: a predictor is mutable scratch, but the pool hands each one to a
/// single borrower at a time and takes it back only when that borrower is done with it.
private final class Lease: @unchecked Sendable {
    let predictor: any Predictor
    init(_ predictor: any Predictor) { self.predictor = predictor }
}
