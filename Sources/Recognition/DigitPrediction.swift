import Imaging

/// What the model made of one digit: the answer, every class's probability and the 28×28 input it saw.
public struct DigitPrediction: Sendable, Equatable {
    /// The predicted class (the largest logit; the lowest index on ties).
    public var digit: Int
    /// Probability of `digit`.
    public var confidence: Double
    /// One per class, summing to 1.
    public var probabilities: [Double]
    public var logits: [Int8]
    /// The preprocessed image the model saw (0 = background, 255 = ink), with where the ink was in the source.
    public var input: PreprocessedDigit

    public init(digit: Int, confidence: Double, probabilities: [Double], logits: [Int8], input: PreprocessedDigit) {
        self.digit = digit
        self.confidence = confidence
        self.probabilities = probabilities
        self.logits = logits
        self.input = input
    }

    public func top(_ k: Int) -> [Candidate] { ClassProbabilities.top(k, of: probabilities) }
}

/// A number read from one row of digits, left to right.
public struct NumberReading: Sendable, Equatable {
    public var digits: [DigitPrediction]
    /// The digits as a string, e.g. "2026".
    public var text: String { digits.map { String($0.digit) }.joined() }
    /// The least confident digit's confidence: the chance the whole string is right is at most this.
    public var confidence: Double { digits.map(\.confidence).min() ?? 0 }

    public init(digits: [DigitPrediction]) { self.digits = digits }
}

/// How long each stage of a request took, in seconds.
public struct StageTimes: Sendable, Equatable {
    public var decode: Double = 0
    public var preprocess: Double = 0
    public var inference: Double = 0
    public var total: Double { decode + preprocess + inference }

    public init(decode: Double = 0, preprocess: Double = 0, inference: Double = 0) {
        self.decode = decode
        self.preprocess = preprocess
        self.inference = inference
    }
}
