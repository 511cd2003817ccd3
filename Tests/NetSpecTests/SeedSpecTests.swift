import Testing
import Foundation
@testable import NetSpec

@Suite struct SeedSpecTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func seedSpecHasTheReportsParameterCounts() throws {
        let network = try NetworkSpec.load(path: Self.repoRoot.appendingPathComponent("Specs/seed.spec").path)
        let counts = network.layers.map { "\($0.name) \($0.parameterCount)" }
        #expect(counts == ["conv2d 640", "conv2d_1 18464", "flatten 0", "dense 184330", "softmax 0"])
        #expect(network.parameterCount == 203_434)
        #expect(network.macs == 11_190_528)
        #expect(network.outputShape == Shape(features: 10))
        #expect(network.labels == (0...9).map(String.init))
    }

    @Test func unknownLayerSuggestsTheClosestKind() {
        #expect {
            try NetworkSpec.parse("input 1x28x28\nconv2D filters=8 kernel=3\n", file: "x.spec")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("x.spec:2:1: error: unknown layer kind 'conv2D'; did you mean 'conv2d'?")
        }
    }
}

@Suite struct ShippedSpecsTests {
    @Test(arguments: ["seed", "lenet5", "resnet", "best"])
    func shippedSpecParses(name: String) throws {
        let network = try NetworkSpec.load(path: SeedSpecTests.repoRoot.appendingPathComponent("Specs/\(name).spec").path)
        #expect(network.name == name)
        #expect(network.outputShape == Shape(features: 10))
        #expect(network.macs > 0)
    }
}
