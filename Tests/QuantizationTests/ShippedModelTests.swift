import Testing
import Foundation
import ModelIO
@testable import Quantization
import Reference

/// The shipped LeNet-5 with its trained weights, when both the weights and the MNIST training files are present
/// (calibration uses training images only): int8 must agree with float on the first test images.
@Suite struct ShippedModelTests {
    static let root = TestNetworks.repoRoot
    static let weights = root.appendingPathComponent("Specs/lenet5.safetensors").path
    static let trainingData = root.appendingPathComponent("../shared/data/mnist").standardizedFileURL
    static var available: Bool {
        FileManager.default.fileExists(atPath: weights)
            && FileManager.default.fileExists(atPath: trainingData.appendingPathComponent("train-images-idx3-ubyte.gz").path)
    }

    @Test(.enabled(if: available, "needs Specs/lenet5.safetensors and ../shared/data/mnist training files"))
    func lenet5Int8AgreesWithFloat() throws {
        let job = try QuantizationJob.load(spec: Self.root.appendingPathComponent("Specs/lenet5.spec").path, weights: Self.weights)
        let train = try MNISTDataset.load(.train, from: Self.trainingData)
        let output = try job.quantize(calibration: QuantizationJob.calibrationImages(from: train, count: 100), method: .auto)
        let test = try MNISTDataset.load(.test, from: Self.root.appendingPathComponent("Data/mnist")).subset(0..<200)
        let evaluation = try QuantizedEvaluation.run(model: output.artifact.model, folded: output.folded, pixels: test.images,
                                                    labels: test.labels.map(Int.init))
        #expect(evaluation.agreement >= 0.99, "agreement \(evaluation.agreement)")
        #expect(abs(evaluation.int8Accuracy - evaluation.floatAccuracy) <= 0.01)
        #expect(evaluation.floatAccuracy >= 0.97)
    }
}
