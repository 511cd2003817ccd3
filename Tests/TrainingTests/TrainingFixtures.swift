import Foundation
import ModelIO
import NetSpec
@testable import Training

enum TrainingFixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed MNIST test images (Data/mnist), used here only as a convenient source of real digits
    /// for unit tests; the shipped weights never see them during training.
    static let mnist: Result<LabeledImages, any Error> = Result {
        let dataset = try MNISTDataset.load(.test, from: repoRoot.appendingPathComponent("Data/mnist"))
        return try LabeledImages(pixels: dataset.images, labels: dataset.labels, pixelsPerImage: dataset.pixelsPerImage)
    }

    /// A network small enough to train in seconds in a debug build.
    static let tinySpec = """
        network tiny
        input 1x28x28 scale=1/255 mean=0.1307 std=0.3081
        conv2d filters=6 kernel=5 stride=2 activation=relu
        maxpool size=2
        flatten
        dense units=10
        softmax
        """

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("digits-training-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func randomParameters(_ network: Network, seed: UInt64) -> [String: Tensor] {
        var random = RandomGenerator(seed: seed)
        var result: [String: Tensor] = [:]
        for spec in network.parameters {
            let scalars: [Float] = (0..<spec.elementCount).map { _ in
                switch spec.role {
                case .runningVar: random.uniform(0.5, 1.5)
                case .runningMean, .bias: random.uniform(-0.2, 0.2)
                case .weight: spec.shape.count == 1 ? random.uniform(0.5, 1.5)
                    : random.normal() * (2 / Float(spec.shape.dropFirst().reduce(1, *))).squareRoot()
                }
            }
            result[spec.name] = Tensor(shape: spec.shape, scalars: scalars)
        }
        return result
    }
}
