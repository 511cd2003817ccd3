import Foundation
import Testing
import ModelIO
import NetSpec
import Reference
@testable import Training

/// The training graph in evaluation mode (batchnorm on running statistics, dropout off) computes the same
/// logits as the Reference float interpreter, within 1e-4, for random weights.
@Suite struct ReferenceAgreementTests {
    static let extraSpec = """
        network extra
        input 1x28x28 scale=1/255 mean=0.1307 std=0.3081
        a: conv2d filters=4 kernel=3 stride=2 padding=same activation=relu
        b: depthwise_conv2d(a) multiplier=2 kernel=3 padding=same activation=relu
        c: conv2d(a) filters=8 kernel=1
        d: add(b, c) activation=relu
        e: concat(d, a)
        f: batchnorm(e)
        g: avgpool(f) size=3 stride=2 padding=same
        h: maxpool(g) size=3 stride=2 padding=same
        i: dropout(h) rate=0.3
        flatten
        dense units=16 activation=relu
        dense units=10
        softmax
        """

    @Test(arguments: ["seed", "lenet5", "convpool", "resnet", "best", "extra"])
    func logitsMatchTheReferenceInterpreter(spec name: String) throws {
        let network = name == "extra" ? try NetworkSpec.parse(Self.extraSpec)
            : try NetworkSpec.load(path: TrainingFixtures.repoRoot.appendingPathComponent("Specs/\(name).spec").path)
        let data = try TrainingFixtures.mnist.get().subset(0..<5)
        let parameters = TrainingFixtures.randomParameters(network, seed: 11)
        let trainer = try Trainer(network: network, configuration: TrainingConfiguration(batchSize: 3), initialParameters: parameters)
        let ours = trainer.logits(data)
        let interpreter = try FloatInterpreter(network: network, parameters: parameters)
        let reference = try interpreter.logits(InputPreprocessing.batch(from: data.pixels, count: 5, input: network.input))
        #expect(reference.scalars.count == ours.count)
        var worst: Float = 0
        for (a, b) in zip(ours, reference.scalars) { worst = max(worst, abs(a - b) / max(1, abs(b))) }
        #expect(worst <= 1e-4, "\(name): largest difference \(worst)")
    }
}
