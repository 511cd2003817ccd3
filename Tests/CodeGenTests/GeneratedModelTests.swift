import Foundation
import CodeGen
import Generated
import GeneratedEdgeCases
import Reference
import Runtime
import Testing

/// The committed generated targets (Generated/ and the edge cases): up to date with their sources, and bit-exact
/// with the int8 interpreter on both kernel paths.
@Suite struct GeneratedModelTests {
    /// (directory, registry): every generated target the package compiles.
    static let targets: [(directory: String, registry: ModelRegistry)] = [
        ("Generated", ModelRegistry.all), ("Tests/GeneratedEdgeCases", ModelRegistry.edgeCases),
    ]
    static let models: [String] = targets.flatMap { t in t.registry.names.map { "\(t.directory)/\($0)" } }

    @Test(arguments: ["Generated", "Tests/GeneratedEdgeCases"])
    func generatedFilesAreUpToDate(_ directory: String) throws {
        let problems = try CodeGenerator.staleFiles(directory: directory, root: TestSupport.root)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func generationIsDeterministic() throws {
        let origin = ModelSource.artifact(path: "Specs/lenet5.q8")
        let first = try CodeGenerator.generate(origin, root: TestSupport.root, directory: "Generated", registry: "all")
        let second = try CodeGenerator.generate(origin, root: TestSupport.root, directory: "Generated", registry: "all")
        #expect(first == second)
        #expect(first.map(\.name) == ["Lenet5Model.swift", "Lenet5Model+Weights.swift"])
    }

    @Test func staleFilesAreReported() throws {
        // A copy of the edge-case target with one edited file: the check names it and the command to run.
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("codegen-stale-\(getpid())")
        let copy = temporary.appendingPathComponent("Tests/GeneratedEdgeCases")
        try? FileManager.default.removeItem(at: temporary)
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Tests/GeneratedEdgeCases"), to: copy)
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("Tests/EdgeCases"),
                                         to: temporary.appendingPathComponent("Tests/EdgeCases"))
        defer { try? FileManager.default.removeItem(at: temporary) }
        let file = copy.appendingPathComponent("EdgePoolsModel.swift")
        try (try String(contentsOf: file, encoding: .utf8) + "// edited\n").write(to: file, atomically: true, encoding: .utf8)
        let problems = try CodeGenerator.staleFiles(directory: "Tests/GeneratedEdgeCases", root: temporary)
        #expect(problems == ["Tests/GeneratedEdgeCases/EdgePoolsModel.swift is stale — run digits compile Tests/EdgeCases/pools.spec --synthetic-weights 7 --out Tests/GeneratedEdgeCases --registry edgeCases"])
    }

    @Test func registryListsEveryGeneratedModel() {
        for (directory, registry) in Self.targets {
            let onDisk = CodeGenerator.models(in: TestSupport.root.appendingPathComponent(directory)).map(\.typeName)
            #expect(registry.entries.map { "\($0.type)" }.sorted() == onDisk.sorted(), "\(directory)")
        }
        #expect(ModelRegistry.all.entry(named: "no such model") == nil)
        #expect(ModelRegistry.edgeCases.entry(named: "edge_channels")?.info.macs == 136_186)
    }

    @Test(arguments: models)
    func bitExactOnMNISTSubset(_ model: String) throws {
        let directory = String(model[..<(model.lastIndex(of: "/") ?? model.startIndex)])
        let name = String(model[model.index(after: model.lastIndex(of: "/") ?? model.startIndex)...])
        let registry = try #require(Self.targets.first { $0.directory == directory }).registry
        let entry = try #require(registry.entry(named: name))
        let origin = try #require(CodeGenerator.models(in: TestSupport.root.appendingPathComponent(directory))
            .first { $0.typeName == "\(entry.type)" }?.source)
        let (artifact, _) = try origin.load(root: TestSupport.root)
        let interpreter = try Int8Interpreter(model: artifact.model)
        // The interpreter is unoptimized in debug builds (~0.3 s per seed image); scripts/check-bitexact.sh runs all
        // 10,000. Edge-case models take synthetic images of their own input shape. 7 images: a predictor that
        // groups a batch by 4 (BatchTemplate: seed) runs one full group and a remainder of 3.
        let count = 7
        let perImage = entry.info.inputCount
        let images: [UInt8]
        if directory == "Generated" {
            images = Array(try #require(TestSupport.testSet).images[0..<(count * perImage)])
        } else {
            images = SyntheticModel.images(count: count, shape: artifact.model.inputShape, seed: 3)
        }
        let expected = try (0..<count).map { i in
            try interpreter.run(pixels: Array(images[(i * perImage)..<((i + 1) * perImage)]))
        }
        for path in TestSupport.paths {
            let predictor = entry.make(path)
            #expect(predictor.path == path)
            var logits = [Int8](repeating: 0, count: count * entry.info.classes)
            try images.withUnsafeBufferPointer { pixels in
                try logits.withUnsafeMutableBufferPointer { out in
                    try predictor.predictBatch(pixels: pixels, count: count, logits: out)
                }
            }
            let found = (0..<count).map { Array(logits[($0 * entry.info.classes)..<(($0 + 1) * entry.info.classes)]) }
            let differing = (0..<count).filter { expected[$0] != found[$0] }
            #expect(differing.isEmpty, "\(model) on \(path): images \(differing.prefix(5)) differ, e.g. expected \(differing.first.map { expected[$0] } ?? []) found \(differing.first.map { found[$0] } ?? [])")
        }
    }

    @Test func wrongBufferSizesAreRejected() throws {
        let entry = try #require(ModelRegistry.all.entries.first)
        let predictor = entry.make(.portable)
        #expect(throws: PredictionError.self) { try predictor.predict([0, 1, 2]) }
        do {
            _ = try predictor.predict([0, 1, 2])
        } catch {
            #expect(error.description == "\(entry.info.name): expected \(entry.info.inputCount) pixels and \(entry.info.classes) logits, got 3 and \(entry.info.classes)")
        }
    }
}
