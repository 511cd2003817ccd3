import Testing
import Foundation
import NetSpec
import ModelIO
@testable import Quantization
import Reference

@Suite struct Q8ArtifactTests {
    static func artifact(_ source: String = TestNetworks.branchy) throws -> Q8Artifact {
        let (_, model) = try TestNetworks.lowered(source, seed: 11)
        return Q8Artifact(model: model, specSource: source, weightsSHA256: String(repeating: "ab", count: 32),
                          calibration: .init(method: .mse, images: 7),
                          choices: ["stem": .init(method: .mse, sqnr: 41.5), "gp": .init(method: .minMax, sqnr: nil)]
                            .filter { name, _ in model.layers.contains { $0.name == name } })
    }

    static func logits(_ model: Int8Model) throws -> [[Int8]] {
        let interpreter = try Int8Interpreter(model: model)
        let pixels = TestNetworks.pixels(count: 5, perImage: model.inputShape.elementCount, seed: 5)
        return try (0..<5).map { i throws in
            try interpreter.run(pixels: Array(pixels[(i * 49)..<((i + 1) * 49)]))
        }
    }

    @Test(arguments: [TestNetworks.small, TestNetworks.branchy])
    func roundTripThroughAFileIsExact(source: String) throws {
        let original = try Self.artifact(source)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("q8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("m.q8").path
        try original.write(to: path)
        let loaded = try Q8Artifact.load(path: path)
        #expect(loaded.specSource == source)
        #expect(loaded.weightsSHA256 == original.weightsSHA256)
        #expect(loaded.calibration == original.calibration)
        #expect(loaded.choices == original.choices)
        #expect(loaded.model.input == original.model.input)
        #expect(loaded.model.layers.map(\.output) == original.model.layers.map(\.output))
        #expect(loaded.model.layers.map(\.name) == original.model.layers.map(\.name))
        // Same tensors byte for byte, and so the same results.
        let a = original.safeTensorsFile(), b = loaded.safeTensorsFile()
        #expect(a.names == b.names)
        for name in a.names { #expect(a[name] == b[name], "\(name)") }
        #expect(a.metadata == b.metadata)
    }

    /// Applies `edit` to a valid file and returns the load error's text.
    static func loadError(_ edit: (inout SafeTensorsFile) -> Void) throws -> String {
        var file = try artifact().safeTensorsFile()
        edit(&file)
        do {
            _ = try Q8Artifact(file: file, path: "m.q8")
            return "loaded without error"
        } catch {
            return error.description
        }
    }

    static func replace(_ file: inout SafeTensorsFile, _ name: String, _ tensor: RawTensor) {
        guard let index = file.tensors.firstIndex(where: { $0.name == name }) else { return }
        file.tensors[index].tensor = tensor
    }

    @Test func rejectsFilesThatAreNotSafetensors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("q8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("junk.q8").path
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: Q8ArtifactError.self) { try Q8Artifact.load(path: path) }
        do {
            _ = try Q8Artifact.load(path: path)
        } catch {
            #expect(error.description.hasPrefix("\(path): "))
        }
        let missing = directory.appendingPathComponent("none.q8").path
        do {
            _ = try Q8Artifact.load(path: missing)
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description.hasPrefix("\(missing): cannot read"))
        }
    }

    @Test func rejectsWrongFormatAndVersion() throws {
        #expect(try Self.loadError { $0.metadata["format"] = "pt" } == "m.q8: metadata 'format' is 'pt', expected 'digits-q8'")
        #expect(try Self.loadError { $0.metadata["version"] = "9" } == "m.q8: format version '9' is not supported, expected '1'")
        #expect(try Self.loadError { $0.metadata["spec"] = nil } == "m.q8: metadata has no 'spec' entry; not a digits int8 model?")
    }

    @Test func rejectsAnEditedSpec() throws {
        let message = try Self.loadError { $0.metadata["spec"] = ($0.metadata["spec"] ?? "") + "\n" }
        #expect(message.hasPrefix("m.q8: metadata 'spec_sha256' is "))
        #expect(message.contains("but the embedded spec hashes to"))
    }

    @Test func rejectsBadWeightsHashAndBrokenJSON() throws {
        #expect(try Self.loadError { $0.metadata["weights_sha256"] = "xyz" }
            == "m.q8: metadata 'weights_sha256' is 'xyz', expected 64 lowercase hex digits")
        #expect(try Self.loadError { $0.metadata["tensors"] = "{" }.hasPrefix("m.q8: metadata 'tensors' is not the expected JSON"))
        #expect(try Self.loadError { $0.metadata["input"] = #"{"scale": 1}"# }
            == "m.q8: metadata 'input' is not the expected JSON (missing 'zero_point')")
    }

    @Test func rejectsMissingMisshapenAndMistypedTensors() throws {
        #expect(try Self.loadError { $0.tensors.removeAll { $0.name == "a.bias" } } == "m.q8: missing tensor 'a.bias' (I32 [4])")
        #expect(try Self.loadError { Self.replace(&$0, "a.bias", RawTensor(dtype: .i32, shape: [3], bytes: [UInt8](repeating: 0, count: 12))) }
            == "m.q8: tensor 'a.bias' has shape [3], expected [4]")
        #expect(try Self.loadError { Self.replace(&$0, "stem.weight", RawTensor(dtype: .u8, shape: [4, 1, 3, 3], bytes: [UInt8](repeating: 0, count: 36))) }
            == "m.q8: tensor 'stem.weight' has dtype U8, expected I8")
        #expect(try Self.loadError { $0.tensors.append((name: "extra.weight", tensor: RawTensor(dtype: .i8, shape: [1], bytes: [0]))) }
            == "m.q8: tensor 'extra.weight' is not used by the int8 network 'branchy'")
    }

    @Test func rejectsNumbersOutsideTheScheme() throws {
        // −128 weight: breaks the symmetric range.
        #expect(try Self.loadError { file in
            guard var w = file["stem.weight"] else { return }
            w.bytes[0] = 0x80
            Self.replace(&file, "stem.weight", w)
        } == "m.q8: layer 'stem' channel 0 has weight -128, expected -127…127")
        // Shift 0.
        guard case .globalAvgPool(let gp) = try Self.artifact().model.layers.first(where: { $0.name == "gp" })?.op else {
            Issue.record("no global pool layer 'gp'")
            return
        }
        #expect(try Self.loadError { Self.replace(&$0, "gp.shift", RawTensor(dtype: .i32, shape: [1], bytes: [0, 0, 0, 0])) }
            == "m.q8: layer 'gp' multiplier #0 \(gp.multiplier)·2^-0 needs multiplier ≥ 0 and shift in 1…63")
        // A bias so large the accumulator could overflow int32.
        #expect(try Self.loadError { Self.replace(&$0, "a.bias", RawTensor(dtype: .i32, shape: [4], bytes: [0xff, 0xff, 0xff, 0x7f] + [UInt8](repeating: 0, count: 12))) }
            .hasPrefix("m.q8: layer 'a' channel 0 can accumulate up to "))
        #expect(try Self.loadError { $0.metadata["input"] = #"{"scale":0.5,"zero_point":200}"# }
            == "m.q8: input zero point 200 is outside -128…127")
        // A clamp that does not match the fused activation.
        #expect(try Self.loadError { f in
            f.metadata["tensors"] = f.metadata["tensors"]?.replacingOccurrences(of: #""qmin":-128"#, with: #""qmin":-100"#)
        }.contains("clamps to [-100, 127], expected [-128, 127]"))
    }
}

@Suite struct QuantizationDeterminismTests {
    @Test func sameInputsGiveByteIdenticalArtifacts() throws {
        let first = try Int8VersusFloatTests.quantized(TestNetworks.small, method: .percentile).output.artifact
        let second = try Int8VersusFloatTests.quantized(TestNetworks.small, method: .percentile).output.artifact
        #expect(first.safeTensorsFile().encoded() == second.safeTensorsFile().encoded())
    }
}
