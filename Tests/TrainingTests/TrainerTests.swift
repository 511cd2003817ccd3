import Foundation
import Testing
import ModelIO
import NetSpec
@testable import Training

@Suite struct TrainerTests {
    static func smallRun(epochs: Int = 2, seed: UInt64 = 5, threads: Int = 2,
                         augmentation: TrainingConfiguration.Augmentation = .handwriting) -> TrainingConfiguration {
        TrainingConfiguration(epochs: epochs, batchSize: 32, optimizer: .adamW, learningRate: 0.01, weightDecay: 0.01,
                              schedule: .oneCycle(warmupFraction: 0.2), augmentation: augmentation, seed: seed,
                              threads: threads)
    }

    /// 2,000 real digits, 3 epochs of batch 32 (186 steps) on a 6-filter convolution: ≥ 85 % on 1,000 others.
    @Test func tinyNetworkLearnsDigits() throws {
        let data = try TrainingFixtures.mnist.get()
        let network = try NetworkSpec.parse(TrainingFixtures.tinySpec)
        let trainer = try Trainer(network: network, configuration: Self.smallRun(epochs: 3, augmentation: .none))
        let result = try trainer.train(data.subset(0..<2_000), validation: data.subset(9_000..<10_000))
        let accuracy = try #require(result.history.last?.validationAccuracy)
        #expect(accuracy >= 0.85, "validation accuracy \(accuracy)")
        #expect(result.history.count == 3)
        #expect(result.history[1].trainLoss < result.history[0].trainLoss)
    }

    @Test func sameSeedGivesTheSameWeightBytes() throws {
        let data = try TrainingFixtures.mnist.get().subset(0..<512)
        let network = try NetworkSpec.parse(TrainingFixtures.tinySpec)
        func run(seed: UInt64) throws -> [String: Tensor] {
            try Trainer(network: network, configuration: Self.smallRun(seed: seed)).train(data, validation: nil).parameters
        }
        let first = try run(seed: 9), second = try run(seed: 9), other = try run(seed: 10)
        #expect(first == second)
        #expect(first != other)
    }

    @Test func resumingFromACheckpointMatchesAnUninterruptedRun() throws {
        let data = try TrainingFixtures.mnist.get().subset(0..<512)
        let network = try NetworkSpec.parse(TrainingFixtures.tinySpec)
        let uninterrupted = try Trainer(network: network, configuration: Self.smallRun(epochs: 3)).train(data, validation: nil)

        let directory = try TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tiny.checkpoint").path
        let interrupted = try Trainer(network: network, configuration: Self.smallRun(epochs: 3))
        try interrupted.train(data, validation: nil, stopAfter: 1, onEpochEnd: { try $0.checkpoint.write(to: path) })
        let resumed = try Trainer(network: network, resuming: try Checkpoint.load(path: path), path: path)
        #expect(resumed.completedEpochs == 1)
        let result = try resumed.train(data, validation: nil)
        #expect(result.parameters == uninterrupted.parameters)
        #expect(result.history.map(\.trainLoss) == uninterrupted.history.map(\.trainLoss))
    }

    @Test func nonFiniteLossStopsWithAClearMessage() throws {
        let data = try TrainingFixtures.mnist.get().subset(0..<64)
        let network = try NetworkSpec.parse(TrainingFixtures.tinySpec)
        var parameters = TrainingFixtures.randomParameters(network, seed: 1)
        parameters["dense.bias"]?.scalars[3] = .nan
        let trainer = try Trainer(network: network, configuration: Self.smallRun(), initialParameters: parameters)
        #expect {
            try trainer.train(data, validation: nil)
        } throws: { error in
            "\(error)" == "training diverged: loss is nan at epoch 1, batch 1; no weights were written (try a lower --lr)"
        }
    }

    @Test func initialParametersMustMatchTheSpec() throws {
        let network = try NetworkSpec.parse(TrainingFixtures.tinySpec)
        var parameters = TrainingFixtures.randomParameters(network, seed: 1)
        parameters["conv2d.weight"] = Tensor(zeros: [6, 1, 3, 3])
        #expect(throws: TrainingError.parameterShapeMismatch(name: "conv2d.weight", expected: [6, 1, 5, 5], found: [6, 1, 3, 3])) {
            try Trainer(network: network, configuration: Self.smallRun(), initialParameters: parameters)
        }
        parameters["conv2d.weight"] = nil
        #expect(throws: TrainingError.missingParameter(name: "conv2d.weight", shape: [6, 1, 5, 5])) {
            try Trainer(network: network, configuration: Self.smallRun(), initialParameters: parameters)
        }
    }

    @Test func checkpointThatIsNotOneIsRejected() throws {
        let directory = try TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bogus.checkpoint").path
        try Data("hello, world, not a checkpoint".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: TrainingError.checkpoint(path: path, reason: "not a digits checkpoint (expected the bytes 'DGTCKPT1' at offset 0)")) {
            try Checkpoint.load(path: path)
        }
    }

    @Test func validationSplitTakesTheTail() throws {
        let images = try LabeledImages(pixels: [UInt8](0..<10), labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], pixelsPerImage: 1)
        let (training, validation) = try images.splittingValidation(count: 3)
        #expect(training.labels == [0, 1, 2, 3, 4, 5, 6])
        #expect(validation.labels == [7, 8, 9])
        #expect(validation.pixels == [7, 8, 9])
        #expect(throws: TrainingError.invalidConfiguration("validation count must be in 0..<10 (the training images), found 10")) {
            try images.splittingValidation(count: 10)
        }
    }
}
