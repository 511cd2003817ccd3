import ModelIO

/// Reported after every batch, for progress bars.
public struct BatchProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batches: Int
    /// Mean loss and accuracy over this epoch's batches so far (on augmented training images).
    public var loss: Double
    public var accuracy: Double
    public var imagesPerSecond: Double
    /// Seconds since the run (or resume) started, and the estimate of what remains.
    public var elapsed: Double
    public var remaining: Double
}

/// One line of the per-epoch log.
public struct EpochSummary: Sendable, Codable, Equatable {
    public var epoch: Int
    public var learningRate: Float
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var seconds: Double
    public var imagesPerSecond: Double
}

public enum ProgressEvent: Sendable {
    case batch(BatchProgress)
    case epoch(EpochSummary)
}

public struct TrainingResult: Sendable {
    /// Every tensor the network's weights file holds, PyTorch names and layouts.
    public var parameters: [String: Tensor]
    public var history: [EpochSummary]
}
