import CodeGen
import NetSpec
import Quantization
import Reference
import Runtime
import Testing

/// The kernels, driven by the plan the generator writes out, against the int8 reference interpreter.
@Suite struct PlanRunnerTests {
    static var paths: [KernelPath] { TestSupport.paths }

    /// Per path whose predictions differ from the interpreter's on any of the first `count` images: how many,
    /// and the first difference. Empty when every path agrees on every image.
    static func mismatches(_ artifact: Q8Artifact, images: [UInt8], count: Int) throws -> [String] {
        let model = artifact.model
        let interpreter = try Int8Interpreter(model: model)
        let plan = try Planner.plan(model)
        let perImage = model.inputShape.elementCount
        var failures: [String] = []
        for path in paths {
            let runner = PlanRunner(plan: plan, path: path)
            var mismatches = 0
            var first = ""
            for i in 0..<count {
                let pixels = Array(images[(i * perImage)..<((i + 1) * perImage)])
                let expected = try interpreter.run(pixels: pixels)
                let found = try runner.predict(pixels)
                if expected != found {
                    if mismatches == 0 { first = "image \(i): expected \(expected), found \(found)" }
                    mismatches += 1
                }
            }
            if mismatches > 0 { failures.append("\(model.name) on \(path): \(mismatches)/\(count) images differ; first: \(first)") }
        }
        return failures
    }

    @Test(arguments: EdgeCaseSpecs.names)
    func edgeCase(_ name: String) throws {
        let source = try EdgeCaseSpecs.source(name)
        let artifact = try SyntheticModel.artifact(specSource: source, file: "\(name).spec", seed: 7)
        let shape = artifact.model.inputShape
        let failures = try Self.mismatches(artifact, images: SyntheticModel.images(count: 20, shape: shape, seed: 99), count: 20)
        #expect(failures.isEmpty, "\(failures.joined(separator: "; "))")
    }

    /// Every AVX2 kernel that re-lays out its weights, in a network small enough (a 20 KB blob) that the
    /// allocator hands a freed blob's address straight back.
    static let weightReuseSpec = """
        network weight_reuse
        input 1x12x12 scale=1/255 mean=0.1307 std=0.3081
        a: conv2d filters=32 kernel=3 padding=same activation=relu
        b: conv2d filters=32 kernel=3 padding=same activation=relu
        c: conv2d filters=16 kernel=3 stride=2 padding=same activation=relu
        d: conv2d filters=16 kernel=3 stride=2 padding=same activation=relu
        g: global_avgpool
        h: dense units=10
        softmax
        """

    /// The AVX2 kernels cache re-layouts of a layer's weights (one-channel, Winograd F(3×3), stride-2 Winograd,
    /// tap pairs: layers a–d above) by the blob's address. Runners for different weights, made and dropped one
    /// after another, get the same address back from the allocator; each must still compute with its own
    /// weights (PlanRunner forgets the cached layouts when it goes away).
    @Test(.enabled(if: TestSupport.paths.contains(.avx2)))
    func aReusedWeightAddressNeverServesAnotherModelsDerivedWeights() throws {
        // Everything but the runners is made first, so that nothing else takes a freed blob's memory before the
        // next runner asks for it.
        var cases: [(plan: PredictorPlan, images: [[UInt8]], expected: [[Int8]])] = []
        for seed in UInt64(1)...6 {
            let artifact = try SyntheticModel.artifact(specSource: Self.weightReuseSpec, file: "weight_reuse.spec",
                                                       seed: seed)
            let interpreter = try Int8Interpreter(model: artifact.model)
            let perImage = artifact.model.inputShape.elementCount
            let all = SyntheticModel.images(count: 3, shape: artifact.model.inputShape, seed: 42)
            let images = (0..<3).map { Array(all[($0 * perImage)..<(($0 + 1) * perImage)]) }
            cases.append((try Planner.plan(artifact.model), images, try images.map { try interpreter.run(pixels: $0) }))
        }
        var addresses: [UnsafeRawPointer] = []
        for (seed, c) in cases.enumerated() {
            let runner = PlanRunner(plan: c.plan, path: .avx2)
            addresses.append(runner.weightsAddress)
            for (i, pixels) in c.images.enumerated() {
                #expect(try runner.predict(pixels) == c.expected[i], "weights seed \(seed + 1), image \(i)")
            }
        }
        #expect(Set(addresses).count < addresses.count, "no weight address was reused: the case was not exercised")
    }

    @Test func convolutionsRunWithTheirOnlyReaderMaxPool() throws {
        // fusion.spec: a, b, c feed only a 2×2 stride-2 pool; g feeds two pools, so it runs alone.
        let artifact = try SyntheticModel.artifact(specSource: try EdgeCaseSpecs.source("fusion"), file: "fusion.spec", seed: 7)
        let plan = try Planner.plan(artifact.model)
        let paired = plan.steps.indices.filter { plan.steps[$0].pooledBy != nil }.map { plan.steps[$0].layer }
        let inside = plan.steps.filter(\.runsWithPrevious).map(\.layer)
        #expect(paired == ["a", "b", "c"])
        #expect(inside == ["pa", "pb", "pc"])
        for (k, step) in plan.steps.enumerated() where step.pooledBy != nil {
            #expect(plan.steps[k + 1].runsWithPrevious)
        }
    }

    @Test func logitsAreNotAllSaturated() throws {
        // Guards against a vacuous comparison: the synthetic models must produce varied logits.
        for name in ["channels", "fusion"] {
            let source = try EdgeCaseSpecs.source(name)
            let artifact = try SyntheticModel.artifact(specSource: source, file: "\(name).spec", seed: 7)
            let interpreter = try Int8Interpreter(model: artifact.model)
            let pixels = SyntheticModel.images(count: 1, shape: artifact.model.inputShape, seed: 5)
            let logits = try interpreter.run(pixels: pixels)
            #expect(Set(logits).count > 3, "\(name): logits \(logits)")
        }
    }
}
