import Foundation
import Synchronization
import NetSpec
import ModelIO
import Reference

/// Float vs int8 on a labelled image set: both predictions per image, and per int8 layer the error of its
/// dequantized output against the folded float network's output for the same layer.
public struct QuantizedEvaluation: Sendable {
    public var labels: [Int]
    public var floatPredictions: [Int]
    public var int8Predictions: [Int]
    /// One per `Int8Model.layers` entry.
    public var meters: [LayerErrorMeter]
    /// The int8 network input (`pixel − 128`) against the float model input: only the rounded mean differs.
    public var inputMeter = LayerErrorMeter()

    public var count: Int { labels.count }
    public var floatAccuracy: Double { accuracy(floatPredictions) }
    public var int8Accuracy: Double { accuracy(int8Predictions) }
    public var agreement: Double {
        count == 0 ? 0 : Double(zip(floatPredictions, int8Predictions).filter { $0 == $1 }.count) / Double(count)
    }
    /// Images whose predicted class differs between float and int8.
    public var flipped: [Int] { labels.indices.filter { floatPredictions[$0] != int8Predictions[$0] } }

    private func accuracy(_ predictions: [Int]) -> Double {
        count == 0 ? 0 : Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(count)
    }

    /// `folded` must be the network `model` was lowered from (int8 layer i ≙ folded layer i).
    /// Work is split over `threads` contiguous chunks; `progress(done, total)` may be called from any thread.
    public static func run(model: Int8Model, folded: NetworkFolding.Result, pixels: [UInt8], labels: [Int],
                           batchSize: Int = 50, threads: Int = 2,
                           progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in })
        throws(QuantizationError) -> QuantizedEvaluation {
        let perImage = model.inputShape.elementCount
        guard pixels.count == labels.count * perImage else {
            throw QuantizationError("\(pixels.count) pixels for \(labels.count) labels; expected \(labels.count * perImage)")
        }
        let floatInterpreter: FloatInterpreter, int8Interpreter: Int8Interpreter
        do {
            floatInterpreter = try FloatInterpreter(network: folded.network, parameters: folded.parameters)
            int8Interpreter = try Int8Interpreter(model: model)
        } catch { throw QuantizationError("\(error)") }
        let total = labels.count
        let chunks = max(1, min(threads, total))
        let results = Mutex<[Result<QuantizedEvaluation, QuantizationError>?]>(Array(repeating: nil, count: chunks))
        let done = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (total * chunk / chunks)..<(total * (chunk + 1) / chunks)
            let result = Result { () throws(QuantizationError) -> QuantizedEvaluation in
                try evaluateChunk(range, model: model, floatInterpreter: floatInterpreter, int8Interpreter: int8Interpreter,
                                  pixels: pixels, labels: labels, batchSize: batchSize) { n in
                    let now = done.withLock { value in
                        value += n
                        return value
                    }
                    progress(now, total)
                }
            }
            results.withLock { $0[chunk] = result }
        }
        var merged = QuantizedEvaluation(labels: [], floatPredictions: [], int8Predictions: [],
                                         meters: Array(repeating: LayerErrorMeter(), count: model.layers.count))
        for result in results.withLock({ $0 }) {
            guard let result else { continue }
            let part = try result.get()
            merged.labels += part.labels
            merged.floatPredictions += part.floatPredictions
            merged.int8Predictions += part.int8Predictions
            for i in merged.meters.indices { merged.meters[i].merge(part.meters[i]) }
            merged.inputMeter.merge(part.inputMeter)
        }
        return merged
    }

    private static func evaluateChunk(_ range: Range<Int>, model: Int8Model, floatInterpreter: FloatInterpreter,
                                      int8Interpreter: Int8Interpreter, pixels: [UInt8], labels: [Int], batchSize: Int,
                                      advanced: (Int) -> Void) throws(QuantizationError) -> QuantizedEvaluation {
        let perImage = model.inputShape.elementCount
        var result = QuantizedEvaluation(labels: Array(labels[range]), floatPredictions: [], int8Predictions: [],
                                         meters: Array(repeating: LayerErrorMeter(), count: model.layers.count))
        let logitsLayer = model.layers.count - 1
        for start in stride(from: range.lowerBound, to: range.upperBound, by: batchSize) {
            let n = min(batchSize, range.upperBound - start)
            let batchPixels = pixels[(start * perImage)..<((start + n) * perImage)]
            let floatInput = InputPreprocessing.batch(from: batchPixels, count: n, input: floatInterpreter.network.input)
            let floatOutputs: [Tensor]
            do { floatOutputs = try floatInterpreter.runAll(floatInput) }
            catch { throw QuantizationError("\(error)") }
            for image in 0..<n {
                let offset = batchPixels.startIndex + image * perImage
                let input = Int8Interpreter.quantizeInput(Array(pixels[offset..<(offset + perImage)]))
                result.inputMeter.add(float: floatInput.scalars[(image * perImage)..<((image + 1) * perImage)], int8: input,
                                      quantization: model.input)
                let int8Outputs: [[Int8]]
                do { int8Outputs = try int8Interpreter.runAll(input: input) }
                catch { throw QuantizationError(error.description) }
                for (i, layer) in model.layers.enumerated() {
                    let size = layer.outputShape.elementCount
                    let floats = floatOutputs[i].scalars[(image * size)..<((image + 1) * size)]
                    result.meters[i].add(float: floats, int8: int8Outputs[i], quantization: layer.output)
                    if i == logitsLayer {
                        result.floatPredictions.append(argmax(floats))
                        result.int8Predictions.append(Int8Interpreter.argmax(int8Outputs[i]))
                    }
                }
            }
            advanced(n)
        }
        return result
    }

    /// Largest value, lowest index on ties (the same rule as the int8 argmax).
    static func argmax(_ values: ArraySlice<Float>) -> Int {
        var best = values.startIndex
        for i in values.indices where values[i] > values[best] { best = i }
        return best - values.startIndex
    }
}
