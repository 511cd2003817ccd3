import Foundation
import Testing

/// `digits train` refuses bad arguments before any training starts, with one clear line.
@Suite struct TrainCommandTests {
    @Test func outputDirectoryMustExistBeforeTrainingStarts() throws {
        let result = try CLIRunner.run(["train", "Specs/lenet5.spec", "--out", "no/such/dir/lenet5.safetensors"])
        #expect(result.status == 1)
        #expect(result.stderr == "--out: directory 'no/such/dir' does not exist\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownOptimizerIsRejected() throws {
        let result = try CLIRunner.run(["train", "Specs/lenet5.spec", "--optimizer", "rmsprop", "--out", "x.safetensors"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--optimizer must be sgd, adam or adamw, found 'rmsprop'"))
    }

    @Test func resumingFromAFileThatIsNotACheckpoint() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bogus = dir.appendingPathComponent("bogus.checkpoint")
        try Data("not a checkpoint".utf8).write(to: bogus)
        let out = dir.appendingPathComponent("w.safetensors")
        let result = try CLIRunner.run(["train", "Specs/lenet5.spec", "--resume", bogus.path, "--out", out.path])
        #expect(result.status == 1)
        #expect(result.stderr == "checkpoint '\(bogus.path)': not a digits checkpoint (expected the bytes 'DGTCKPT1' at offset 0)\n")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
