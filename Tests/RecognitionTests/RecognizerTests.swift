import Foundation
import Generated
import Imaging
import ImagingTestSupport
import ModelIO
import Recognition
import Runtime
import Testing

@Suite("Recognizer")
struct RecognizerTests {
    static func recognizer() throws -> Recognizer {
        Recognizer(entry: try ModelRegistry.all.lookup("best"), path: KernelPath.best(for: .current))
    }

    /// An MNIST test image as the model input it already is.
    static func digit(_ index: Int, _ set: MNISTTestSet) -> PreprocessedDigit {
        PreprocessedDigit(pixels: set.images[index], size: 28, inkBox: PixelBox(minX: 0, minY: 0, maxX: 27, maxY: 27), darkInk: false)
    }

    @Test("probabilities sum to 1 and the predicted digit is the predictor's argmax", arguments: ["best", "seed", "lenet5"])
    func probabilitiesAndArgmax(model: String) throws {
        let set = try MNISTTestSet.get()
        let entry = try ModelRegistry.all.lookup(model)
        let recognizer = Recognizer(entry: entry, path: .portable)
        let predictor = entry.make(.portable)
        for index in 0..<50 {
            let prediction = try recognizer.predict(Self.digit(index, set))
            let logits = try predictor.predict(set.images[index])
            #expect(prediction.logits == logits)
            let largest = logits.max() ?? 0
            #expect(prediction.digit == logits.firstIndex(of: largest))
            #expect(prediction.probabilities.count == 10)
            #expect(abs(prediction.probabilities.reduce(0, +) - 1) < 1e-12)
            #expect(prediction.confidence == prediction.probabilities[prediction.digit])
            #expect(prediction.probabilities.allSatisfy { $0 >= 0 && $0 <= prediction.confidence })
        }
    }

    @Test("softmax of dequantized logits, exactly")
    func softmaxValues() {
        let info = BestModel.info
        let logits: [Int8] = [13, 13 + 4, -128, 127, 0, 0, 0, 0, 0, 0]
        let probabilities = ClassProbabilities.softmax(logits: logits, info: info)
        let reals = logits.map { info.outputScale * Double(Int32($0) - info.outputZeroPoint) }
        let total = reals.map { exp($0 - reals[3]) }.reduce(0, +)
        for i in 0..<10 { #expect(abs(probabilities[i] - exp(reals[i] - reals[3]) / total) < 1e-15) }
        #expect(ClassProbabilities.top(3, of: probabilities).map(\.digit) == [3, 1, 0])
    }

    @Test("the pool gives every task its own predictor: concurrent results equal sequential ones")
    func concurrentUse() async throws {
        let set = try MNISTTestSet.get()
        let recognizer = try Self.recognizer()
        let indices = Array(0..<40)
        let expected = try indices.map { try recognizer.predict(Self.digit($0, set)).logits }
        let found = try await withThrowingTaskGroup(of: (Int, [[Int8]]).self) { group in
            for task in 0..<8 {
                group.addTask {
                    // Each task walks the images from a different start, so tasks overlap on the pool all the time.
                    let order = indices.map { indices[($0 + 5 * task) % indices.count] }
                    var logits = [[Int8]](repeating: [], count: indices.count)
                    for index in order { logits[index] = try recognizer.predict(Self.digit(index, set)).logits }
                    return (task, logits)
                }
            }
            var all: [(Int, [[Int8]])] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(found.count == 8)
        for (task, logits) in found { #expect(logits == expected, "task \(task)") }
    }

    @Test("a PNG file and its bytes give the same prediction; file errors name the file")
    func pngFile() throws {
        let set = try MNISTTestSet.get()
        let recognizer = try Self.recognizer()
        let scan = ScanRenderer().render(set.images[0], width: 120, height: 90, originX: 30, originY: 10, scale: 2.5)
        let bytes = ScanEncoding.gray8.encode(scan)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recognizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("seven.png").path
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let (fromFile, times) = try recognizer.predict(pngFile: file)
        let (fromBytes, _) = try recognizer.predict(png: bytes, source: file)
        #expect(fromFile == fromBytes)
        #expect(fromFile.digit == 7)
        #expect(times.total == times.decode + times.preprocess + times.inference)

        let missing = directory.appendingPathComponent("missing.png").path
        #expect(throws: RecognitionError(kind: .unreadableImage, description: "\(missing): no such file")) {
            try recognizer.predict(pngFile: missing)
        }
        let text = directory.appendingPathComponent("notes.png").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        let error = #expect(throws: RecognitionError.self) { try recognizer.read(pngFile: text) }
        #expect(error?.kind == .unsupportedFormat)
        #expect(error?.description.hasPrefix("\(text): not a PNG") == true)
    }
}
