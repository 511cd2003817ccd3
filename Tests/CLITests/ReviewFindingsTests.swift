import Foundation
import Testing

/// Bad input found by the adversarial review: each must fail early with one line, never crash or waste a run.
@Suite struct ReviewFindingsTests {
    @Test func trainRejectsAnOutputPathThatIsADirectory() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLIRunner.run(["train", "Specs/seed.spec", "--out", dir.path, "--data", dir.path])
        #expect(result.status == 1)
        #expect(result.stderr == "--out: '\(dir.path)' is a directory, expected a file name\n")
    }

    @Test func trainRejectsAnUnwritableOutputDirectoryBeforeLoadingData() throws {
        // /proc refuses new files even for root, unlike a chmod'ed directory.
        let result = try CLIRunner.run(["train", "Specs/seed.spec", "--out", "/proc/weights.safetensors", "--data", "no/such/dir"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("--out: cannot create files in directory '/proc': "))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func quantizeRejectsAnOutputPathThatIsADirectoryWithoutErrorPrefix() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLIRunner.run(["quantize", "Specs/seed.spec", "--weights", "Specs/seed.safetensors",
                                        "--out", dir.path, "--data", dir.path])
        #expect(result.status == 1)
        #expect(result.stderr == "--out: '\(dir.path)' is a directory, expected a file name\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func trainRejectsAHugeBatchInsteadOfCrashing() throws {
        let result = try CLIRunner.run(["train", "Specs/seed.spec", "--out", "x.safetensors", "--batch", "99999999999"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: --batch must be in 1...60000, found 99999999999\n"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func trainRejectsANonFiniteWarmup() throws {
        let result = try CLIRunner.run(["train", "Specs/seed.spec", "--out", "x.safetensors", "--warmup", "nan"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: --warmup must be a fraction in 0...1 for onecycle or epochs ≥ 0 for cosine, found nan\n"))
    }

    @Test func evalRejectsADataSetWithNoImages() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let images = Data([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28])
        let labels = Data([0, 0, 8, 1, 0, 0, 0, 0])
        try images.write(to: dir.appendingPathComponent("t10k-images-idx3-ubyte"))
        try labels.write(to: dir.appendingPathComponent("t10k-labels-idx1-ubyte"))
        let result = try CLIRunner.run(["eval", "Specs/seed.spec", "--weights", "Specs/seed.safetensors", "--data", dir.path])
        #expect(result.status == 1)
        #expect(result.stderr == "\(dir.path)/t10k-images-idx3-ubyte: contains no images (the header's count is 0)\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func dataVerifyReportsAMissingChecksumListAsOneLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLIRunner.run(["data", "verify", "--data", dir.path])
        #expect(result.status == 1)
        #expect(result.stderr == "\(dir.path)/SHA256SUMS: no such file (nothing to verify against)\n")
    }

    @Test func dataFetchReportsAnUnusableTargetAsOneLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("file")
        try Data().write(to: file)
        let result = try CLIRunner.run(["data", "fetch", "--to", file.path, "--mirror", "http://127.0.0.1:9/"])
        #expect(result.status == 1)
        #expect(result.stderr == "\(file.path): not a directory\n")
    }

    @Test func trainRejectsAnUnwritableCheckpointDirectoryBeforeTheFirstEpoch() throws {
        let result = try CLIRunner.run(["train", "Specs/seed.spec", "--out", "x.safetensors", "--checkpoint-dir", "/proc",
                                        "--data", "no/such/dir"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("--checkpoint-dir: cannot create files in directory '/proc': "))
    }

    @Test func quantizeWithoutATestSetFailsBeforeWritingTheArtifact() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]
        images += [UInt8](repeating: 0, count: 2 * 784)
        try Data(images).write(to: dir.appendingPathComponent("train-images-idx3-ubyte"))
        try Data([0, 0, 8, 1, 0, 0, 0, 2, 3, 7]).write(to: dir.appendingPathComponent("train-labels-idx1-ubyte"))
        let out = dir.appendingPathComponent("seed.q8")
        let result = try CLIRunner.run(["quantize", "Specs/seed.spec", "--weights", "Specs/seed.safetensors",
                                        "--out", out.path, "--data", dir.path, "--calibration-images", "2"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("t10k-images-idx3-ubyte.gz not found in \(dir.path)"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func infoReportsABadKernelPathAsOneLineWithoutUsage() throws {
        let result = try CLIRunner.run(["info"], environment: ["DIGITS_KERNEL_PATH": "sse9"])
        #expect(result.status == 1)
        #expect(result.stderr == "$DIGITS_KERNEL_PATH=sse9: unknown kernel path; expected one of portable, avx2, avx512vnni\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func trainAcceptsAOneCharacterOutputNameAndRejectsAnEmptyOne() throws {
        // `--out x` crashed inside Foundation's deletingLastPathComponent.
        let short = try CLIRunner.run(["train", "Specs/seed.spec", "--out", "x", "--data", "no/such/dir"])
        #expect(short.status == 1)
        #expect(short.stderr == "--data no/such/dir: no such directory\n")
        let empty = try CLIRunner.run(["train", "Specs/seed.spec", "--out", "x", "--log", ""])
        #expect(empty.status == 1)
        #expect(empty.stderr == "--log: expected a file name, found an empty string\n")
    }

    @Test func trainRefusesANetworkTooBigForMemoryInsteadOfCrashing() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("huge.spec")
        try "input 1x28x28\nconv2d filters=60000 kernel=3 padding=same\nflatten\ndense units=10\nsoftmax\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["train", spec.path, "--out", dir.appendingPathComponent("w.safetensors").path,
                                        "--batch", "60000", "--data", "no/such/dir"])
        #expect(result.status == 1)
        // 94,080,020 layer-output elements × 60,000 images × 8 bytes + 471,000,010 parameters × 16 bytes.
        #expect(result.stderr.hasPrefix("\(spec.path): training needs more than 42064.1 GiB with --batch 60000 "
            + "(weights, gradients, optimizer state and activations); this machine has "))
        #expect(result.stderr.hasSuffix(" GiB; use a smaller --batch or network\n"))
    }
}
