import Foundation
import NetSpec
import Reference

/// The report card of one quantization: per layer what the int8 tensor is and how far it is from float, then
/// float vs int8 accuracy. Codable for `--json`; SQNR values are nil where the int8 tensor is exact (∞ dB).
public struct QuantizationReport: Sendable, Codable {
    public struct LayerRow: Sendable, Codable {
        public var name: String
        public var kind: String
        /// The spec layers this int8 layer stands for (e.g. conv + batchnorm + relu).
        public var folds: [String]
        public var outputShape: String
        public var scale: Double
        public var zeroPoint: Int32
        public var fusedReLU: Bool
        public var weightScaleMin: Double?
        public var weightScaleMax: Double?
        /// nil: inherits its input's scale (max pool, relu, flatten).
        public var calibrationMethod: String?
        /// This tensor's own rounding + clipping error on the calibration histogram.
        public var calibrationSQNR: Double?
        /// Accumulated error of the int8 pipeline at this layer, on the evaluation images.
        public var sqnr: Double?
        /// The SQNR of the noise this layer itself adds: `−10·log10(NSR_out − NSR_in)` with NSR = 10^(−SQNR/10)
        /// and NSR_in the worst input's — what the layer would score with exact inputs. nil: adds no noise.
        public var addedNoiseSQNR: Double?
        public var maxAbsError: Double
        public var saturationPercent: Double
        public var largestLoss: Bool

        enum CodingKeys: String, CodingKey {
            case name, kind, folds, outputShape, scale, zeroPoint, fusedReLU, weightScaleMin, weightScaleMax
            case calibrationMethod, calibrationSQNR, sqnr, addedNoiseSQNR, maxAbsError, saturationPercent, largestLoss
        }

        /// Every key is always present: absent values are `null` (for SQNRs: exact, ∞ dB), so consumers see
        /// one schema.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(kind, forKey: .kind)
            try c.encode(folds, forKey: .folds)
            try c.encode(outputShape, forKey: .outputShape)
            try c.encode(scale, forKey: .scale)
            try c.encode(zeroPoint, forKey: .zeroPoint)
            try c.encode(fusedReLU, forKey: .fusedReLU)
            try c.encode(weightScaleMin, forKey: .weightScaleMin)
            try c.encode(weightScaleMax, forKey: .weightScaleMax)
            try c.encode(calibrationMethod, forKey: .calibrationMethod)
            try c.encode(calibrationSQNR, forKey: .calibrationSQNR)
            try c.encode(sqnr, forKey: .sqnr)
            try c.encode(addedNoiseSQNR, forKey: .addedNoiseSQNR)
            try c.encode(maxAbsError, forKey: .maxAbsError)
            try c.encode(saturationPercent, forKey: .saturationPercent)
            try c.encode(largestLoss, forKey: .largestLoss)
        }
    }

    public struct Flip: Sendable, Codable {
        public var image: Int
        public var label: Int
        public var float: Int
        public var int8: Int
    }

    public var network: String
    public var specSHA256: String
    public var weightsSHA256: String
    public var calibration: Q8Artifact.CalibrationInfo
    public var layers: [LayerRow]
    /// The int8 input (pixel − 128) against the float input; only the rounded normalization mean differs.
    public var inputSQNR: Double?
    public var images: Int
    public var floatAccuracy: Double
    public var int8Accuracy: Double
    public var agreement: Double
    public var flipped: [Flip]

    public init(artifact: Q8Artifact, folded: NetworkFolding.Result, evaluation: QuantizedEvaluation) {
        let model = artifact.model
        var rows: [LayerRow] = []
        for (i, layer) in model.layers.enumerated() {
            let meter = evaluation.meters[i]
            var scales: [Double] = []
            switch layer.op {
            case .convolution(let c): scales = c.weightScales
            case .dense(let d): scales = d.weightScales
            default: break
            }
            // Noise powers add (relative to the signal): this layer's share is its NSR minus its worst input's.
            let inputNSRs = layer.inputs.map { source -> Double in
                guard case .layer(let p) = source else { return Self.nsr(evaluation.inputMeter.sqnr) }
                return Self.nsr(rows[p].sqnr)
            }
            let added = Self.nsr(meter.sqnr) - (inputNSRs.max() ?? 0)
            let addedSQNR: Double? = added > 0 ? -10 * log10(added) : nil
            let choice = artifact.choices[layer.name]
            rows.append(LayerRow(
                name: layer.name, kind: layer.op.kindName, folds: i < folded.origins.count ? folded.origins[i] : [layer.name],
                outputShape: layer.outputShape.description, scale: layer.output.scale, zeroPoint: layer.output.zeroPoint,
                fusedReLU: i < folded.network.layers.count && folded.network.layers[i].op.fusedActivation == .relu,
                weightScaleMin: scales.min(), weightScaleMax: scales.max(),
                calibrationMethod: choice?.method.rawValue, calibrationSQNR: choice?.sqnr,
                sqnr: meter.sqnr, addedNoiseSQNR: addedSQNR, maxAbsError: meter.maxAbsError,
                saturationPercent: meter.saturationPercent, largestLoss: false))
        }
        // The layer that hurts most: the one adding the most noise (lowest added-noise SQNR).
        let added = rows.map { $0.addedNoiseSQNR ?? .infinity }
        if let worst = added.indices.min(by: { added[$0] < added[$1] }), added[worst] < .infinity {
            rows[worst].largestLoss = true
        }
        network = model.name
        specSHA256 = artifact.specSHA256
        weightsSHA256 = artifact.weightsSHA256
        calibration = artifact.calibration
        layers = rows
        inputSQNR = evaluation.inputMeter.sqnr
        images = evaluation.count
        floatAccuracy = evaluation.floatAccuracy
        int8Accuracy = evaluation.int8Accuracy
        agreement = evaluation.agreement
        flipped = evaluation.flipped.map {
            Flip(image: $0, label: evaluation.labels[$0], float: evaluation.floatPredictions[$0], int8: evaluation.int8Predictions[$0])
        }
    }

    /// Noise-to-signal power ratio of an SQNR in dB (nil = exact → 0).
    static func nsr(_ sqnr: Double?) -> Double { sqnr.map { pow(10, -$0 / 10) } ?? 0 }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    /// The human-readable card.
    public func text() -> String {
        func db(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "∞" }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func left(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        var lines: [String] = []
        lines.append("int8 report card: \(network) (calibration: \(calibration.method), \(calibration.images) \(calibration.split) images; evaluated on \(images) test images)")
        lines.append("")
        let header = pad("layer", 16) + pad("kind", 17) + pad("output", 10) + left("scale", 11) + left("zp", 6)
            + "  " + pad("weight scales min…max", 22) + pad("method", 11) + left("cal dB", 7) + left("SQNR dB", 8)
            + left("added", 7) + left("max |err|", 10) + left("sat %", 7)
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count))
        lines.append(pad("(input)", 16) + pad("pixel − 128", 17) + pad("", 10) + left("", 11) + left("", 6) + "  " + pad("", 22)
            + pad("", 11) + left("", 7) + left(db(inputSQNR), 8))
        for row in layers {
            let weights = row.weightScaleMin.map { min in
                String(format: "%.2e…%.2e", min, row.weightScaleMax ?? min)
            } ?? "-"
            let kind = row.kind + (row.fusedReLU && row.kind != "relu" ? "+relu" : "")
            let method = row.calibrationMethod ?? "inherited"
            var line = pad(row.name, 16) + pad(kind, 17) + pad(row.outputShape, 10)
                + left(String(format: "%.3e", row.scale), 11) + left("\(row.zeroPoint)", 6) + "  " + pad(weights, 22)
                + pad(method, 11) + left(row.calibrationMethod == nil ? "-" : db(row.calibrationSQNR), 7)
                + left(db(row.sqnr), 8) + left(db(row.addedNoiseSQNR), 7)
                + left(String(format: "%.4f", row.maxAbsError), 10) + left(String(format: "%.3f", row.saturationPercent), 7)
            if row.largestLoss { line += "  ◀ largest loss" }
            if row.folds.count > 1 { line += "  (folds \(row.folds.dropFirst().joined(separator: ", ")))" }
            lines.append(line)
        }
        lines.append("")
        lines.append(String(format: "float top-1: %.2f %%   int8 top-1: %.2f %%   (int8 − float: %+.2f points)",
                            100 * floatAccuracy, 100 * int8Accuracy, 100 * (int8Accuracy - floatAccuracy)))
        lines.append(String(format: "top-1 agreement: %.2f %% (%d of %d images flipped)", 100 * agreement, flipped.count, images))
        if !flipped.isEmpty {
            let shown = flipped.prefix(50).map { "#\($0.image) (label \($0.label): float \($0.float) → int8 \($0.int8))" }
            lines.append("flipped: " + shown.joined(separator: ", ") + (flipped.count > 50 ? ", … (\(flipped.count - 50) more; see --json)" : ""))
        }
        return lines.joined(separator: "\n")
    }
}
