import CodeGen
import NetSpec
import Quantization
import Reference
import Runtime
import Testing

/// The kernels, driven by the plan the generator writes out, against the int8 reference interpreter.
@Suite struct PlanRunnerTests {
    static var paths: [KernelPath] { TestSupport.paths }

    static func check(_ artifact: Q8Artifact, images: [UInt8], count: Int) throws {
        let model = artifact.model
        let interpreter = try Int8Interpreter(model: model)
        let plan = try Planner.plan(model)
        let perImage = model.inputShape.elementCount
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
            #expect(mismatches == 0, "\(model.name) on \(path): \(mismatches)/\(count) images differ; first: \(first)")
        }
    }

    @Test(arguments: EdgeCaseSpecs.names)
    func edgeCase(_ name: String) throws {
        let source = try EdgeCaseSpecs.source(name)
        let artifact = try SyntheticModel.artifact(specSource: source, file: "\(name).spec", seed: 7)
        let shape = artifact.model.inputShape
        try Self.check(artifact, images: SyntheticModel.images(count: 20, shape: shape, seed: 99), count: 20)
    }

    /// The AVX2 kernels cache Winograd and tap-pair re-layouts of a layer's weights by the blob's address. Runners
    /// for different weights, made and dropped one after another, get the same address back from the allocator;
    /// each must still compute with its own weights (PlanRunner forgets the cached layouts when it goes away).
    @Test(.enabled(if: TestSupport.paths.contains(.avx2)))
    func aReusedWeightAddressNeverServesAnotherModelsDerivedWeights() throws {
        let source = try EdgeCaseSpecs.source("winograd")
        var addresses: [UnsafeRawPointer] = []
        for seed in UInt64(1)...6 {
            let artifact = try SyntheticModel.artifact(specSource: source, file: "winograd.spec", seed: seed)
            let interpreter = try Int8Interpreter(model: artifact.model)
            let plan = try Planner.plan(artifact.model)
            let perImage = artifact.model.inputShape.elementCount
            let images = SyntheticModel.images(count: 3, shape: artifact.model.inputShape, seed: 42)
            let runner = PlanRunner(plan: plan, path: .avx2)
            addresses.append(runner.weightsAddress)
            for i in 0..<3 {
                let pixels = Array(images[(i * perImage)..<((i + 1) * perImage)])
                #expect(try runner.predict(pixels) == interpreter.run(pixels: pixels), "weights seed \(seed), image \(i)")
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
