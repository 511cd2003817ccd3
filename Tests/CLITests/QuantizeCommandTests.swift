import Foundation
import Testing

/// `digits quantize` rejects bad flags and files with one clear line, before any calibration work.
@Suite struct QuantizeCommandTests {
    @Test func unknownCalibrationMethodListsTheChoices() throws {
        let result = try CLIRunner.run(["quantize", "Specs/lenet5.spec", "--weights", "w.safetensors",
                                        "--calibration", "median", "--out", "m.q8"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--calibration must be one of minmax, percentile, mse, kl, auto, found 'median'"))
    }

    @Test func missingWeightsFileIsNamed() throws {
        let result = try CLIRunner.run(["quantize", "Specs/lenet5.spec", "--weights", "no-such.safetensors", "--out", "m.q8"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no-such.safetensors: cannot read"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func zeroCalibrationImagesIsRejected() throws {
        let result = try CLIRunner.run(["quantize", "Specs/lenet5.spec", "--weights", "w.safetensors",
                                        "--calibration-images", "0", "--out", "m.q8"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--calibration-images must be at least 1, found 0"))
    }
}
