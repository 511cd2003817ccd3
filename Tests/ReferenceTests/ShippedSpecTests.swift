import Testing
import Foundation
import ModelIO
import NetSpec
@testable import Reference

/// The shipped specs run end to end with random weights: right shapes, probabilities, logits consistent with them.
@Suite struct ShippedSpecRunTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(arguments: ["seed", "lenet5", "convpool", "resnet", "best"])
    func runsWithRandomWeights(name: String) throws {
        let network = try NetworkSpec.load(path: Self.repoRoot.appendingPathComponent("Specs/\(name).spec").path)
        var generator = SeededGenerator(state: 7)
        var parameters: [String: Tensor] = [:]
        for spec in network.parameters {
            let values = (0..<spec.elementCount).map { _ -> Float in
                spec.role == .runningVar ? Float.random(in: 0.5...2, using: &generator) : Float.random(in: -0.2...0.2, using: &generator)
            }
            parameters[spec.name] = Tensor(shape: spec.shape, scalars: values)
        }
        let net = try FloatInterpreter(network: network, parameters: parameters)
        let pixels = (0..<(2 * 784)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let batch = InputPreprocessing.batch(from: pixels, count: 2, input: network.input)

        let outputs = try net.runAll(batch)
        #expect(outputs.map(\.shape) == network.layers.map { [2] + $0.outputShape.dims })
        let probabilities = try net.run(batch)
        #expect(probabilities == outputs.last)
        for row in 0..<2 {
            #expect(abs(probabilities.scalars[(row * 10)..<(row * 10 + 10)].reduce(0, +) - 1) < 1e-5)
        }
        let logits = try net.logits(batch)
        #expect(logits == outputs[outputs.count - 2])
        #expect(Evaluation.predictedClasses(from: logits) == Evaluation.predictedClasses(from: probabilities))
    }
}
