import ArgumentParser
import Foundation
import ModelIO
import NetSpec
import Reference

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a float32 model on the MNIST test set with the reference interpreter.",
        discussion: "Prints accuracy, the confusion matrix (rows: true class, columns: predicted) and per-class "
            + "precision/recall/F1 like sklearn's classification_report.")

    @Argument(help: "The network spec (.spec file).")
    var spec: String

    @Option(help: "The weights (.safetensors) for the spec's parameters.")
    var weights: String

    @Option(help: "Directory with the MNIST t10k files (default: the usual places).")
    var data: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "Evaluate only the first N test images.")
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, found \(limit)") }
    }

    func run() async throws {
        try await CLIError.reporting { try await evaluate() }
    }

    private func evaluate() async throws {
        let network = try NetworkSpec.load(path: spec)
        let mnist = Shape(channels: 1, height: 28, width: 28)
        guard network.input.shape == mnist else {
            throw CLIError("\(spec): input is \(network.input.shape) but MNIST images are \(mnist)")
        }
        guard network.outputShape == Shape(features: 10) else {
            throw CLIError("\(spec): the network outputs \(network.outputShape) scores, MNIST has 10 classes")
        }
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
        let pixels = Array(dataset.images.prefix(count * mnist.elementCount))
        let labels = dataset.labels.prefix(count).map(Int.init)

        let clock = ContinuousClock()
        let start = clock.now
        let evaluation = try interpreter.evaluate(pixels: pixels, labels: labels)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let imagesPerSecond = seconds > 0 ? Double(count) / seconds : nil

        if json {
            print(try EvaluationReport.json(evaluation, imagesPerSecond: imagesPerSecond), terminator: "")
        } else {
            print("\(network.name) (\(spec)) with \(weights), float32 reference interpreter\n")
            print(EvaluationReport.text(evaluation, imagesPerSecond: imagesPerSecond), terminator: "")
        }
    }
}
