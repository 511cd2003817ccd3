import Foundation
import Testing

/// Every user-facing failure: one clear message on stderr naming the file, exit status ≠ 0, no stack trace.
@Suite struct BadInputTests {
    func expectCleanFailure(_ result: CLIRunner.Result, mentions needle: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stderr.contains(needle), "stderr was: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
    }

    @Test func summaryOfABrokenSpecPrintsCompilerStyleDiagnostics() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let spec = dir.appendingPathComponent("broken.spec")
        try "input 1x28x28\nconv2d filters=8 kernal=3\n".write(to: spec, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["summary", spec.path])
        expectCleanFailure(result, mentions: "\(spec.path):2:18: error: unknown attribute 'kernal' for conv2d; did you mean 'kernel'?")
        #expect(result.stdout.isEmpty)
    }

    @Test func missingSpecFile() throws {
        let result = try CLIRunner.run(["summary", "Specs/no-such.spec"])
        expectCleanFailure(result, mentions: "Specs/no-such.spec:1:1: error: no such spec file")
    }

    @Test func evalWithMissingWeights() throws {
        let result = try CLIRunner.run(["eval", "Specs/seed.spec", "--weights", "no-such.safetensors"])
        expectCleanFailure(result, mentions: "no-such.safetensors: cannot read")
    }

    @Test func evalWithWeightsOfAnotherNetworkNamesTheTensors() throws {
        let result = try CLIRunner.run(["eval", "Specs/seed.spec", "--weights", "Tests/ModelIOTests/Fixtures/reference.safetensors"])
        expectCleanFailure(result, mentions: "missing tensor 'conv2d.weight' (expected shape [64, 1, 3, 3])")
        #expect(result.stderr.contains("tensor 'dense.weight' has shape [3, 4], expected [10, 18432]"))
    }

    @Test func evalWithADataDirectoryThatDoesNotExist() throws {
        let result = try CLIRunner.run(["eval", "Specs/seed.spec", "--weights", "Specs/seed.safetensors", "--data", "no/such/dir"])
        #expect(result.status != 0)
        #expect(!result.stderr.isEmpty)
    }

    @Test func unknownKernelPathIsRejected() throws {
        let result = try CLIRunner.run(["info"], environment: ["DIGITS_KERNEL_PATH": "sse9"])
        expectCleanFailure(result, mentions: "$DIGITS_KERNEL_PATH=sse9: unknown kernel path")
    }

    @Test func summaryPrintsTheReportsCounts() throws {
        let result = try CLIRunner.run(["summary", "Specs/seed.spec"])
        #expect(result.status == 0)
        for needle in ["conv2d (conv2d)", "640", "18,464", "184,330", "203,434"] {
            #expect(result.stdout.contains(needle), "missing \(needle)")
        }
    }
}
