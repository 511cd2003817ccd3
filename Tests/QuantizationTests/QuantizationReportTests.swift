import Testing
import Foundation
import NetSpec
@testable import Quantization
import Reference

@Suite struct QuantizationReportTests {
    static func report() throws -> QuantizationReport {
        let (network, _, output) = try Int8VersusFloatTests.quantized(TestNetworks.branchy, method: .auto)
        let pixels = TestNetworks.pixels(count: 6, perImage: network.input.shape.elementCount, seed: 12)
        let evaluation = try QuantizedEvaluation.run(model: output.artifact.model, folded: output.folded, pixels: pixels,
                                                    labels: [0, 1, 2, 3, 4, 5], batchSize: 4, threads: 2)
        return QuantizationReport(artifact: output.artifact, folded: output.folded, evaluation: evaluation)
    }

    @Test func cardHasOneRowPerInt8LayerAndMarksOneLargestLoss() throws {
        let report = try Self.report()
        #expect(report.layers.map(\.name) == ["stem", "a", "sum", "sumbn", "dw", "side", "cat", "ap", "gp", "fc"])
        #expect(report.layers.filter(\.largestLoss).count == 1)
        #expect(report.layers.first { $0.name == "a" }?.folds == ["a", "abn"])
        #expect(report.layers.first { $0.name == "stem" }?.fusedReLU == true)
        #expect(report.layers.first { $0.name == "sum" }?.fusedReLU == false)
        // Weighted layers show their per-channel scale range; pools do not.
        #expect(report.layers.first { $0.name == "fc" }?.weightScaleMin != nil)
        #expect(report.layers.first { $0.name == "gp" }?.weightScaleMin == nil)
        #expect(report.images == 6 && report.calibration.split == "train")
        let text = report.text()
        #expect(text.components(separatedBy: "◀ largest loss").count == 2)
        #expect(text.contains("(folds abn)"))
        #expect(text.contains("top-1 agreement: "))
    }

    @Test func jsonIsValidAndUsesNullForExactTensors() throws {
        let json = try Self.report().json()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(object?["network"] as? String == "branchy")
        let layers = object?["layers"] as? [[String: Any]]
        #expect(layers?.count == 10)
        // Every row has every key; a pool has no weights, so its weight scales are null.
        #expect(layers?.allSatisfy { $0.keys.count == 16 } == true)
        #expect(layers?.first { $0["name"] as? String == "gp" }?["weightScaleMin"] is NSNull)
    }
}
