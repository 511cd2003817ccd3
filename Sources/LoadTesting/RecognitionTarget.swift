import Dispatch
import ModelIO
import Recognition

/// The in-process target: each request runs the whole recognition path — PNG decode, preprocessing, inference —
/// on one of a rotating set of PNG-encoded digits, and checks the answer. The work runs on Dispatch's global
/// queue (one thread per core), so concurrent requests queue for the cores the way they would in a server.
public struct RecognitionTarget: LoadTarget {
    public struct Sample: Sendable {
        public var png: [UInt8]
        public var digit: Int
        public init(png: [UInt8], digit: Int) {
            self.png = png
            self.digit = digit
        }
    }

    public let recognizer: Recognizer
    public let samples: [Sample]

    public init(recognizer: Recognizer, samples: [Sample]) {
        self.recognizer = recognizer
        self.samples = samples
    }

    /// Up to `count` digits of `dataset` that `recognizer` gets right, as dark-ink-on-paper PNGs (so decoding
    /// and polarity detection are exercised), in dataset order. A digit the model gets wrong would fail every
    /// time it came round; a correct one failing under load means a real fault.
    public static func samples(from dataset: MNISTDataset, recognizer: Recognizer, count: Int) throws -> [Sample] {
        var samples: [Sample] = []
        for index in 0..<dataset.count where samples.count < count {
            let ink = dataset.image(index)
            let image = GrayImage(width: dataset.columns, height: dataset.rows, pixels: ink.map { 255 - $0 })
            let png = try PNGEncoder.encode(image)
            let digit = Int(dataset.labels[index])
            if let (prediction, _) = try? recognizer.predict(png: png, source: "test image \(index)"), prediction.digit == digit {
                samples.append(Sample(png: png, digit: digit))
            }
        }
        guard !samples.isEmpty else { throw LoadFailure("the model recognized none of the \(dataset.count) test digits") }
        return samples
    }

    public var description: String { "in-process \(recognizer.info.name) (Recognizer.predict on PNG bytes, \(samples.count) digits)" }

    public func name(of index: Int) -> String { "predict (in-process)" }

    public func makeSession(worker: Int) async throws {}

    public func send(_ index: Int, on session: inout Void) async throws {
        let sample = samples[index % samples.count]
        let recognizer = self.recognizer
        let outcome: Result<Int, RecognitionError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(RecognitionError) -> Int in
                    try recognizer.predict(png: sample.png, source: "load test digit").0.digit
                })
            }
        }
        switch outcome {
        case .success(let digit) where digit == sample.digit: return
        case .success(let digit): throw LoadFailure("wrong digit: expected \(sample.digit), got \(digit)")
        case .failure(let error): throw LoadFailure("\(error.kind.rawValue): \(error.description)")
        }
    }
}
