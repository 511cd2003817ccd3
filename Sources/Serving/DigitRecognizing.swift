import Recognition
import Runtime

/// What the server needs from a recognizer. `Recognizer` is the real one; tests substitute one that can
/// be made to wait, to hold requests in flight deterministically.
public protocol DigitRecognizing: Sendable {
    var info: ModelInfo { get }
    func predict(png bytes: [UInt8], source: String) throws(RecognitionError) -> (DigitPrediction, StageTimes)
    func read(png bytes: [UInt8], source: String) throws(RecognitionError) -> (NumberReading, StageTimes)
}

extension Recognizer: DigitRecognizing {}
