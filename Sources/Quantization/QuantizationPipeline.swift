import NetSpec
import ModelIO
import Reference

/// Spec + float weights + calibration images → `.q8` artifact: fold, calibrate on the folded float network, lower.
public enum QuantizationPipeline {
    public struct Output: Sendable {
        public var artifact: Q8Artifact
        public var folded: NetworkFolding.Result
        /// Per folded-layer index: the calibrated range and its histogram SQNR.
        public var choices: [Int: RangeChoice]
    }

    /// `calibrationPixels`: `count` raw images back to back (from the training split).
    /// `progress(pass, done, total)` is called after every batch.
    public static func quantize(network: Network, specSource: String, parameters: [String: Tensor],
                                weightsSHA256: String, calibrationPixels: [UInt8], count: Int,
                                method: CalibrationMethod, batchSize: Int = 50,
                                progress: (_ pass: Int, _ done: Int, _ total: Int) -> Void = { _, _, _ in })
        throws(QuantizationError) -> Output {
        let perImage = network.input.shape.elementCount
        guard count > 0, calibrationPixels.count == count * perImage else {
            throw QuantizationError("calibration needs at least one image: got \(calibrationPixels.count) pixels for \(count) images of \(network.input.shape)")
        }
        let folded: NetworkFolding.Result
        do { folded = try NetworkFolding.fold(network, parameters: parameters) }
        catch { throw QuantizationError("cannot fold '\(network.name)': \(error.description)") }
        let interpreter: FloatInterpreter
        do { interpreter = try FloatInterpreter(network: folded.network, parameters: folded.parameters) }
        catch { throw QuantizationError("folded network '\(network.name)': \(error.description)") }

        var calibrator = Calibrator(folded: folded.network)
        for pass in 1...2 {
            if pass == 2 { calibrator.startHistograms() }
            for start in stride(from: 0, to: count, by: batchSize) {
                let n = min(batchSize, count - start)
                let batch = InputPreprocessing.batch(from: calibrationPixels[(start * perImage)..<((start + n) * perImage)],
                                                     count: n, input: network.input)
                let outputs: [Tensor]
                do { outputs = try interpreter.runAll(batch) }
                catch { throw QuantizationError("calibration: \(error.description)") }
                if pass == 1 { calibrator.observeRanges(outputs) } else { calibrator.observeHistograms(outputs) }
                progress(pass, start + n, count)
            }
        }
        let choices = calibrator.choose(method)
        let model = try Int8Lowering.lower(folded.network, parameters: folded.parameters,
                                           outputs: choices.mapValues(\.quantization))
        var layerChoices: [String: Q8Artifact.LayerCalibration] = [:]
        for (index, choice) in choices {
            layerChoices[folded.network.layers[index].name] =
                Q8Artifact.LayerCalibration(method: choice.method, sqnr: choice.sqnr.isFinite ? choice.sqnr : nil)
        }
        let artifact = Q8Artifact(model: model, specSource: specSource, weightsSHA256: weightsSHA256,
                                  calibration: .init(method: method, images: count), choices: layerChoices)
        return Output(artifact: artifact, folded: folded, choices: choices)
    }
}
