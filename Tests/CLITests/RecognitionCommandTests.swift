import Foundation
import Testing

/// `digits list`, `eval MODEL`, `predict` and `read` through the built binary.
@Suite("Recognition commands")
struct RecognitionCommandTests {
    static let models = ["best", "convpool", "lenet5", "resnet", "seed"]
    static let unknownModel = "no compiled model named 'nope'; compiled models: best, convpool, lenet5, resnet, seed\n"

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    // MARK: list

    @Test func listShowsEveryCompiledModel() throws {
        let result = try CLIRunner.run(["list"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "model     spec                       MACs  parameters  weights sha256  input    kernels")
        #expect(lines[1].hasPrefix("best      Specs/best.spec       9,295,616     141,098  540687a8c9d3    1×28×28  "))
        #expect(lines[2].hasPrefix("convpool  Specs/convpool.spec   4,241,152     421,642  83b01826da01    1×28×28  "))
        #expect(lines[5].hasPrefix("seed      Specs/seed.spec      11,190,528     203,434  9738dc3c975c    1×28×28  "))
        #expect(lines.contains { $0.hasPrefix("cpu: ") && $0.contains("; features: ") })
        #expect(lines.contains { $0.hasPrefix("kernel path: ") })
    }

    @Test func listJSONHasFullHashesAndTheKernelPath() throws {
        let result = try CLIRunner.run(["list", "--json"], environment: ["DIGITS_KERNEL_PATH": "portable"])
        #expect(result.status == 0)
        let document = try json(result.stdout)
        let models = try #require(document["models"] as? [[String: Any]])
        #expect(models.compactMap { $0["name"] as? String } == Self.models)
        let best = models[0]
        #expect(best["weights_sha256"] as? String == "540687a8c9d31fcc96cdec07133234872d7772abe6cee438a4f9f800a1d86c2d")
        #expect(best["spec"] as? String == "Specs/best.spec")
        #expect(best["macs"] as? Int == 9_295_616)
        #expect(best["parameters"] as? Int == 141_098)
        #expect(best["input_shape"] as? [Int] == [1, 28, 28])
        #expect(best["kernel_path"] as? String == "portable")
        #expect(document["kernel_path"] as? String == "portable")
        #expect((document["cpu"] as? [String: Any])?["features"] is [String])
    }

    // MARK: eval

    @Test func evalOfACompiledModel() throws {
        let result = try CLIRunner.run(["eval", "best", "--limit", "300", "--kernel-path", "portable"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("best (Specs/best.spec), compiled int8 predictor, portable kernels, weights sha256 540687a8c9d3\n\naccuracy: "))
        #expect(result.stdout.contains("images/s"))
        #expect(result.stdout.contains("confusion matrix (rows: true class, columns: predicted class)"))
        #expect(result.stdout.contains("weighted avg"))
    }

    @Test func evalJSONAndTheMisclassifiedGrid() throws {
        let fixtures = try RecognitionFixtures()
        let grid = fixtures.path("wrong.png")
        let result = try CLIRunner.run(["eval", "seed", "--limit", "1000", "--json", "--misclassified", grid, "--kernel-path", "portable"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try json(result.stdout)
        #expect(document["model"] as? String == "seed")
        #expect(document["model_sha256"] as? String == "9738dc3c975c" + String((document["model_sha256"] as? String ?? "").dropFirst(12)))
        #expect(document["kernel_path"] as? String == "portable")
        #expect(document["total"] as? Int == 1000)
        let wrong = 1000 - (document["correct"] as? Int ?? 0)
        #expect(wrong > 0)
        #expect(result.stderr == "misclassified: \(wrong) digits, grid written to \(grid)\n")
        let png = try Data(contentsOf: URL(fileURLWithPath: grid))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixtures.directory.path) == ["wrong.png"])
    }

    @Test func evalOfAnUnknownModelListsTheModels() throws {
        let result = try CLIRunner.run(["eval", "nope"])
        #expect(result.status == 1)
        #expect(result.stderr == Self.unknownModel)
        #expect(result.stdout.isEmpty)
    }

    @Test func evalOfASpecNeedsWeights() throws {
        let result = try CLIRunner.run(["eval", "Specs/seed.spec"])
        #expect(result.status == 1)
        #expect(result.stderr == "Specs/seed.spec: a spec is evaluated in float32 and needs --weights W.safetensors; for the int8 predictor give a compiled model name (see `digits list`)\n")
    }

    @Test func evalFloatModeRejectsAKernelPath() throws {
        let result = try CLIRunner.run(["eval", "Specs/seed.spec", "--weights", "Specs/seed.safetensors", "--kernel-path", "portable"])
        #expect(result.status == 1)
        #expect(result.stderr == "--kernel-path applies to compiled models only; Specs/seed.spec is evaluated with the float32 reference interpreter\n")
    }

    // MARK: predict

    @Test func predictPrintsTheDigitTheChartAndTheStages() throws {
        let fixtures = try RecognitionFixtures()
        let seven = try fixtures.write("seven.png", RecognitionFixtures.scan(0))
        let result = try CLIRunner.run(["predict", "best", seven, "--top", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 13)
        #expect(lines[0].hasPrefix("\(seven): 7 ("))
        #expect(lines[8].hasPrefix("▶ 7 │██████████████████████████"))
        #expect(lines[1].hasPrefix("  0 │"))
        #expect(lines[11].hasPrefix("top 2: 7 "))
        #expect(lines[12].hasPrefix("latency: decode ") && lines[12].contains(" ms, preprocess ") && lines[12].contains(" ms, inference ") && lines[12].hasSuffix(" ms"))
        // Not a terminal: no colour codes.
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(result.stderr.isEmpty)
    }

    @Test func predictReportsEachBadImageOnOneLineAndGoesOn() throws {
        let fixtures = try RecognitionFixtures()
        let text = try fixtures.write("notes.png", Array("hello, world\n".utf8))
        let good = try RecognitionFixtures.scan(1)
        let truncated = try fixtures.write("truncated.png", Array(good.prefix(good.count / 2)))
        let blank = try fixtures.write("blank.png", RecognitionFixtures.blank())
        let huge = try fixtures.write("huge.png", RecognitionFixtures.huge())
        let two = try fixtures.write("two.png", good)
        let missing = fixtures.path("missing.png")
        let result = try CLIRunner.run(["predict", "best", text, truncated, two, blank, huge, missing])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").map(String.init) == [
            "\(text): not a PNG: starts with 68 65 6C 6C 6F 2C 20 77, expected the PNG signature 89 50 4E 47 0D 0A 1A 0A",
            "\(truncated): truncated PNG: the data ends after \(good.count / 2) bytes, before the image is complete",
            "\(blank): no digit found: the image is nearly uniform (contrast 0 of 255, need 40)",
            "\(huge): PNG too large: 100000×100000 is 10000 megapixels, over the limit of 40",
            "\(missing): no such file",
        ])
        #expect(result.stdout.hasPrefix("\(two): 2 ("))
        #expect(result.stdout.split(separator: "\n").count == 13)
    }

    @Test func predictJSON() throws {
        let fixtures = try RecognitionFixtures()
        let seven = try fixtures.write("seven.png", RecognitionFixtures.scan(0))
        let blank = try fixtures.write("blank.png", RecognitionFixtures.blank())
        let result = try CLIRunner.run(["predict", "best", seven, blank, "--json", "--top", "4"])
        #expect(result.status == 1)
        let document = try json(result.stdout)
        #expect(document["model"] as? String == "best")
        #expect(document["model_sha256"] as? String == "540687a8c9d31fcc96cdec07133234872d7772abe6cee438a4f9f800a1d86c2d")
        let results = try #require(document["results"] as? [[String: Any]])
        try #require(results.count == 2)
        let first = results[0]
        #expect(Set(first.keys) == ["file", "digit", "confidence", "probabilities", "top", "latency_ms"])
        #expect(first["file"] as? String == seven)
        #expect(first["digit"] as? Int == 7)
        let probabilities = try #require(first["probabilities"] as? [Double])
        #expect(probabilities.count == 10)
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-9)
        #expect(first["confidence"] as? Double == probabilities[7])
        let top = try #require(first["top"] as? [[String: Any]])
        #expect(top.count == 4)
        #expect(top[0]["digit"] as? Int == 7 && top[0]["probability"] as? Double == probabilities[7])
        #expect(Set((first["latency_ms"] as? [String: Double] ?? [:]).keys) == ["decode", "preprocess", "inference", "total"])
        #expect(Set(results[1].keys) == ["file", "error"])
        let error = try #require(results[1]["error"] as? [String: String])
        #expect(error == ["kind": "no_digit", "message": "\(blank): no digit found: the image is nearly uniform (contrast 0 of 255, need 40)"])
    }

    @Test(arguments: ["0", "11", "-1"]) func predictRejectsABadTop(top: String) throws {
        let fixtures = try RecognitionFixtures()
        let seven = try fixtures.write("seven.png", RecognitionFixtures.scan(0))
        let result = try CLIRunner.run(["predict", "best", seven, "--top=\(top)"])
        #expect(result.status == 1)
        #expect(result.stderr == "--top must be between 1 and 10, found \(top)\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func predictWithAnUnknownModel() throws {
        let result = try CLIRunner.run(["predict", "nope", "x.png"])
        #expect(result.status == 1)
        #expect(result.stderr == Self.unknownModel)
    }

    @Test func debugPreprocessWritesOneFilePerImage() throws {
        let fixtures = try RecognitionFixtures()
        let seven = try fixtures.write("seven.png", RecognitionFixtures.scan(0))
        let two = try fixtures.write("two.png", RecognitionFixtures.scan(1))
        let out = fixtures.path("input.png")
        let result = try CLIRunner.run(["predict", "best", seven, two, "--debug-preprocess", out])
        #expect(result.status == 0, "\(result.stderr)")
        for (number, file) in [(1, fixtures.path("input-1.png")), (2, fixtures.path("input-2.png"))] {
            #expect(result.stdout.contains("model input (28×28 enlarged ×8): \(file)\n"), "image \(number)")
            let png = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            // IHDR width and height: 224×224.
            #expect(Array(png[16..<24]) == [0, 0, 0, 224, 0, 0, 0, 224])
        }
        let single = try CLIRunner.run(["predict", "best", seven, "--debug-preprocess", out])
        #expect(single.status == 0)
        #expect(FileManager.default.fileExists(atPath: out))
    }

    // MARK: read

    @Test func readPrintsTheNumberAndEachDigit() throws {
        let fixtures = try RecognitionFixtures()
        let number = try fixtures.write("number.png", RecognitionFixtures.number())
        let result = try CLIRunner.run(["read", "best", number])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 7)
        #expect(lines[0].hasPrefix("\(number): 7210 (least confident digit "))
        #expect(lines[1] == "  #  digit  confidence  ink box in the image")
        #expect(lines[2].hasPrefix("  1      7  "))
        #expect(lines[5].hasPrefix("  4      0  "))
        #expect(lines[6].hasPrefix("latency: decode "))
    }

    @Test func readJSON() throws {
        let fixtures = try RecognitionFixtures()
        let number = try fixtures.write("number.png", RecognitionFixtures.number())
        let result = try CLIRunner.run(["read", "best", number, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try json(result.stdout)
        #expect(document["model"] as? String == "best")
        #expect(document["file"] as? String == number)
        #expect(document["text"] as? String == "7210")
        let digits = try #require(document["digits"] as? [[String: Any]])
        #expect(digits.compactMap { $0["digit"] as? Int } == [7, 2, 1, 0])
        let boxes = digits.compactMap { $0["box"] as? [String: Int] }
        #expect(boxes.count == 4)
        // Left to right, not overlapping.
        for (a, b) in zip(boxes, boxes.dropFirst()) { #expect(a["x"]! + a["width"]! <= b["x"]!) }
        #expect(document["confidence"] as? Double == digits.compactMap { $0["confidence"] as? Double }.min())
    }

    @Test func readOfABlankPage() throws {
        let fixtures = try RecognitionFixtures()
        let blank = try fixtures.write("blank.png", RecognitionFixtures.blank())
        let result = try CLIRunner.run(["read", "best", blank])
        #expect(result.status == 1)
        #expect(result.stderr == "\(blank): no digit found: the image is nearly uniform (contrast 0 of 255, need 40)\n")
        #expect(result.stdout.isEmpty)
        let json = try CLIRunner.run(["read", "best", blank, "--json"])
        #expect(json.status == 1)
        let error = try #require(try self.json(json.stdout)["error"] as? [String: String])
        #expect(error["kind"] == "no_digit")
    }
}
