import Dispatch
import Recognition
import Runtime
import Serving
import Synchronization

/// The real recognizer behind a gate: each call waits until the test opens it, so requests can be held
/// in flight on purpose. Counts the calls that actually ran.
final class GatedRecognizer: DigitRecognizing {
    let base: Recognizer
    private let gate = DispatchSemaphore(value: 0)
    private let entered = Atomic<Int>(0)
    private let computed = Atomic<Int>(0)

    init(base: Recognizer) { self.base = base }

    var info: ModelInfo { base.info }
    var enteredCount: Int { entered.load(ordering: .relaxed) }
    var computedCount: Int { computed.load(ordering: .relaxed) }

    func open(_ calls: Int = 1) { for _ in 0..<calls { gate.signal() } }

    func predict(png bytes: [UInt8], source: String) throws(RecognitionError) -> (DigitPrediction, StageTimes) {
        entered.wrappingAdd(1, ordering: .relaxed)
        gate.wait()
        computed.wrappingAdd(1, ordering: .relaxed)
        return try base.predict(png: bytes, source: source)
    }

    func read(png bytes: [UInt8], source: String) throws(RecognitionError) -> (NumberReading, StageTimes) {
        entered.wrappingAdd(1, ordering: .relaxed)
        gate.wait()
        computed.wrappingAdd(1, ordering: .relaxed)
        return try base.read(png: bytes, source: source)
    }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass.
/// The budget is long because Swift Testing runs every suite at once on a cooperative pool as wide as the CPU
/// count: on 2 cores, CPU-bound synchronous tests elsewhere can delay this task's wake-ups by tens of seconds.
/// It returns as soon as the condition holds, so a passing run doesn't wait.
func eventually(_ seconds: Double = 120, _ condition: () -> Bool) async throws -> Bool {
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    while DispatchTime.now().uptimeNanoseconds < deadline {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
