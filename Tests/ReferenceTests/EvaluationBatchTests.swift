import Testing
import NetSpec
@testable import Reference

@Suite struct EvaluationBatchTests {
    // 1×28×28 → conv 8 filters (8×26×26 = 5,408) → flatten (5,408) → dense 10.
    func network() throws -> Network {
        try NetworkSpec.parse("""
        network small
        input 1x28x28
        conv2d filters=8 kernel=3
        flatten
        dense units=10
        """, file: "small.spec")
    }

    @Test func bytesPerImageCountsInputAndEveryOutput() throws {
        #expect(EvaluationBatch.bytesPerImage(try network()) == (784 + 5_408 + 5_408 + 10) * 4)
    }

    @Test func batchShrinksToHalfOfMemoryAndRefusesWhenOneImageDoesNotFit() throws {
        let network = try network()
        let perImage = UInt64(EvaluationBatch.bytesPerImage(network))
        #expect(EvaluationBatch.size(network: network, preferred: 256, available: 1 << 34) == 256)
        #expect(EvaluationBatch.size(network: network, preferred: 256, available: perImage * 2 * 10) == 10)
        #expect(EvaluationBatch.size(network: network, preferred: 256, threads: 2, available: perImage * 2 * 10) == 5)
        #expect(EvaluationBatch.size(network: network, preferred: 256, available: perImage) == nil)
    }
}
