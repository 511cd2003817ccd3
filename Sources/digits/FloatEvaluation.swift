import Foundation
import ModelIO
import NetSpec
import Reference

/// `digits eval SPEC --weights W`: the float32 reference interpreter on the MNIST test set.
struct FloatEvaluation {
    var spec: String
    var weights: String

    func run(data: String?, limit: Int?) throws -> EvaluationRun {
        let network = try MNISTNetwork.load(spec: spec)
        let weightSet = try WeightSet.load(path: weights)
        try weightSet.validate(against: network)
        let interpreter: FloatInterpreter
        do {
            interpreter = try FloatInterpreter(network: network, parameters: weightSet.tensors)
        } catch {
            throw CLIError("\(weights): \(error)")
        }
        let dataset = try MNISTDataset.load(.test, from: DataDirectory.resolve(explicit: data))
        let count = min(limit ?? dataset.count, dataset.count)
        let pixels = Array(dataset.images.prefix(count * network.input.shape.elementCount))
        let labels = dataset.labels.prefix(count).map(Int.init)

        let clock = ContinuousClock()
        let start = clock.now
        let batch = try EvaluationMemory.batchSize(network: network, preferred: 256, spec: spec)
        let evaluation = try interpreter.evaluate(pixels: pixels, labels: labels, batchSize: batch)
        let seconds = Self.seconds(clock.now - start)
        return EvaluationRun(title: "\(network.name) (\(spec)) with \(weights), float32 reference interpreter",
                             evaluation: evaluation, pixels: pixels,
                             imagesPerSecond: seconds > 0 ? Double(count) / seconds : nil)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
