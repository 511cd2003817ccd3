import NetSpec
import ModelIO

/// Gathers the values of every tensor that needs its own scale (see `Int8Lowering.needsCalibration`) over the
/// calibration images, in two passes over the same images: ranges, then histograms.
public struct Calibrator: Sendable {
    /// Folded-network layer indices that get calibrated.
    public let calibratedLayers: [Int]
    public private(set) var histograms: [Int: ActivationHistogram]

    public init(folded network: Network) {
        calibratedLayers = network.layers.indices.filter { Int8Lowering.needsCalibration(network.layers[$0]) }
        histograms = Dictionary(uniqueKeysWithValues: calibratedLayers.map { ($0, ActivationHistogram()) })
    }

    /// Pass 1, once per batch: `outputs` are every folded layer's output (`FloatInterpreter.runAll`).
    public mutating func observeRanges(_ outputs: [Tensor]) {
        for i in calibratedLayers { histograms[i]?.observeRange(outputs[i].scalars) }
    }

    public mutating func startHistograms() {
        for i in calibratedLayers { histograms[i]?.startHistogram() }
    }

    /// Pass 2, once per batch, over the same images.
    public mutating func observeHistograms(_ outputs: [Tensor]) {
        for i in calibratedLayers { histograms[i]?.observeHistogram(outputs[i].scalars) }
    }

    /// Each calibrated layer's range by `method`.
    public func choose(_ method: CalibrationMethod) -> [Int: RangeChoice] {
        var result: [Int: RangeChoice] = [:]
        for (i, histogram) in histograms { result[i] = RangeSearch.choose(method, histogram) }
        return result
    }
}
