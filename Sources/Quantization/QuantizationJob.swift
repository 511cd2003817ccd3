import Foundation
import NetSpec
import ModelIO

/// A spec file and its float weights file, loaded and validated for quantization (shared by `digits quantize`
/// and anything else that quantizes from files, such as code generation).
public struct QuantizationJob: Sendable {
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public var network: Network
    public var specSource: String
    public var parameters: [String: Tensor]
    /// SHA-256 of the weights file's bytes, recorded in the `.q8` artifact.
    public var weightsSHA256: String

    /// Parses the spec and reads the weights, checking them against each other; the errors are the ones
    /// `NetworkSpec`, `WeightSet` and weight validation give, each naming its file.
    public static func load(spec: String, weights: String) throws -> QuantizationJob {
        let network = try NetworkSpec.load(path: spec)
        guard let specData = FileManager.default.contents(atPath: spec), let specSource = String(data: specData, encoding: .utf8) else {
            throw LoadError(description: "\(spec): cannot be read")
        }
        let weightSet = try WeightSet.load(path: weights)
        try weightSet.validate(against: network)
        guard let weightBytes = FileManager.default.contents(atPath: weights) else {
            throw LoadError(description: "\(weights): cannot read")
        }
        return QuantizationJob(network: network, specSource: specSource, parameters: weightSet.tensors,
                               weightsSHA256: SHA256.hex(Array(weightBytes)))
    }

    /// `count` images evenly spaced over the training split (never the test set), so every class and writer
    /// style is represented; deterministic.
    public static func calibrationImages(from train: MNISTDataset, count: Int) -> MNISTDataset {
        let n = max(1, min(count, train.count))
        return train.subset((0..<n).map { $0 * train.count / n })
    }

    /// Folds, calibrates on `images` and lowers to int8 (see `QuantizationPipeline.quantize`).
    public func quantize(calibration images: MNISTDataset, method: CalibrationMethod, batchSize: Int = 50,
                         progress: (_ pass: Int, _ done: Int, _ total: Int) -> Void = { _, _, _ in })
        throws(QuantizationError) -> QuantizationPipeline.Output {
        try QuantizationPipeline.quantize(network: network, specSource: specSource, parameters: parameters,
                                          weightsSHA256: weightsSHA256, calibrationPixels: images.images,
                                          count: images.count, method: method, batchSize: batchSize,
                                          progress: progress)
    }
}
