import Foundation
import Recognition

/// The JSON documents of `digits predict` and `digits read` (keys in snake_case, in the order written here).
enum RecognitionJSON {
    struct Latency: Encodable, Equatable {
        var decode: Double
        var preprocess: Double
        var inference: Double
        var total: Double

        /// Milliseconds, from stage times in seconds.
        init(_ times: StageTimes) {
            decode = times.decode * 1000
            preprocess = times.preprocess * 1000
            inference = times.inference * 1000
            total = times.total * 1000
        }
    }

    struct Failure: Encodable, Equatable {
        var kind: String
        var message: String

        init(_ error: RecognitionError) {
            kind = error.kind.rawValue
            message = error.description
        }
    }

    /// One image of `predict`: either the prediction or the error.
    struct PredictResult: Encodable {
        var file: String
        var outcome: Result<(DigitPrediction, StageTimes, top: Int), RecognitionError>

        enum CodingKeys: String, CodingKey {
            case file, digit, confidence, probabilities, top, error
            case latency = "latency_ms"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            switch outcome {
            case .success(let (prediction, times, top)):
                try container.encode(prediction.digit, forKey: .digit)
                try container.encode(prediction.confidence, forKey: .confidence)
                try container.encode(prediction.probabilities, forKey: .probabilities)
                try container.encode(prediction.top(top), forKey: .top)
                try container.encode(Latency(times), forKey: .latency)
            case .failure(let error):
                try container.encode(Failure(error), forKey: .error)
            }
        }
    }

    struct PredictDocument: Encodable {
        var model: String
        var modelSHA256: String
        var results: [PredictResult]

        enum CodingKeys: String, CodingKey {
            case model, results
            case modelSHA256 = "model_sha256"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(model, forKey: .model)
            try container.encode(modelSHA256, forKey: .modelSHA256)
            try container.encode(results, forKey: .results)
        }
    }

    struct Box: Encodable, Equatable {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
    }

    struct ReadDigit: Encodable {
        var digit: Int
        var confidence: Double
        var probabilities: [Double]
        var box: Box
    }

    /// `read`'s document: the string and each digit, or the error.
    struct ReadDocument: Encodable {
        var model: String
        var modelSHA256: String
        var file: String
        var outcome: Result<(NumberReading, StageTimes), RecognitionError>

        enum CodingKeys: String, CodingKey {
            case model, file, text, confidence, digits, error
            case modelSHA256 = "model_sha256"
            case latency = "latency_ms"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(model, forKey: .model)
            try container.encode(modelSHA256, forKey: .modelSHA256)
            try container.encode(file, forKey: .file)
            switch outcome {
            case .success(let (reading, times)):
                try container.encode(reading.text, forKey: .text)
                try container.encode(reading.confidence, forKey: .confidence)
                let digits = reading.digits.map { digit in
                    let box = digit.input.inkBox
                    return ReadDigit(digit: digit.digit, confidence: digit.confidence, probabilities: digit.probabilities,
                                     box: Box(x: box.minX, y: box.minY, width: box.width, height: box.height))
                }
                try container.encode(digits, forKey: .digits)
                try container.encode(Latency(times), forKey: .latency)
            case .failure(let error):
                try container.encode(Failure(error), forKey: .error)
            }
        }
    }

    /// Pretty-printed, slashes unescaped (file paths stay readable), ending with a newline.
    static func text(_ document: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
