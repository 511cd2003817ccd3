import CodeGen
import Generated
import Reference
import Runtime
import Testing

/// The committed Generated/ target: up to date with its sources, and bit-exact with the int8 interpreter.
@Suite struct GeneratedModelTests {
    @Test func generatedFilesAreUpToDate() throws {
        let problems = try CodeGenerator.staleFiles(directory: "Generated", root: TestSupport.root)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func registryListsEveryGeneratedModel() {
        let onDisk = CodeGenerator.models(in: TestSupport.root.appendingPathComponent("Generated")).map(\.typeName)
        #expect(ModelRegistry.all.entries.map { "\($0.type)" }.sorted() == onDisk.sorted())
        #expect(ModelRegistry.all.entry(named: "no such model") == nil)
    }

    @Test(arguments: ModelRegistry.all.names)
    func bitExactOnMNISTSubset(_ name: String) throws {
        let entry = try #require(ModelRegistry.all.entry(named: name))
        let origin = try #require(CodeGenerator.models(in: TestSupport.root.appendingPathComponent("Generated"))
            .first { $0.typeName == "\(entry.type)" }?.source)
        let (artifact, _) = try origin.load(root: TestSupport.root)
        let interpreter = try Int8Interpreter(model: artifact.model)
        let mnist = try #require(TestSupport.testSet)
        // The interpreter is unoptimized in debug builds (~0.3 s per seed image); scripts/check-bitexact.sh runs all 10,000.
        let count = 8
        let perImage = entry.info.inputCount
        let expected = try (0..<count).map { i in
            try interpreter.run(pixels: Array(mnist.images[(i * perImage)..<((i + 1) * perImage)]))
        }
        for path in TestSupport.paths {
            let predictor = entry.make(path)
            #expect(predictor.path == path)
            var logits = [Int8](repeating: 0, count: count * entry.info.classes)
            try mnist.images[0..<(count * perImage)].withUnsafeBufferPointer { pixels in
                try logits.withUnsafeMutableBufferPointer { out in
                    try predictor.predictBatch(pixels: pixels, count: count, logits: out)
                }
            }
            let found = (0..<count).map { Array(logits[($0 * entry.info.classes)..<(($0 + 1) * entry.info.classes)]) }
            let differing = (0..<count).filter { expected[$0] != found[$0] }
            #expect(differing.isEmpty, "\(name) on \(path): images \(differing.prefix(5)) differ, e.g. expected \(differing.first.map { expected[$0] } ?? []) found \(differing.first.map { found[$0] } ?? [])")
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
