import Testing
import NetSpec
import ModelIO
@testable import Quantization
import Reference

@Suite struct FoldingTests {
    @Test(arguments: [TestNetworks.small, TestNetworks.branchy])
    func foldedNetworkComputesTheSameFunction(source: String) throws {
        let network = try NetworkSpec.parse(source, file: "test.spec")
        let parameters = TestNetworks.parameters(for: network, seed: 21)
        let folded = try NetworkFolding.fold(network, parameters: parameters)
        #expect(!folded.network.layers.contains { if case .batchNorm = $0.op { true } else { false } })
        #expect(!folded.network.layers.contains { if case .dropout = $0.op { true } else { false } })
        let original = try FloatInterpreter(network: network, parameters: parameters)
        let rewritten = try FloatInterpreter(network: folded.network, parameters: folded.parameters)
        let count = 8
        let pixels = TestNetworks.pixels(count: count, perImage: network.input.shape.elementCount, seed: 4)
        let batch = InputPreprocessing.batch(from: pixels, count: count, input: network.input)
        let a = try original.logits(batch), b = try rewritten.logits(batch)
        #expect(a.shape == b.shape)
        let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-4, "max |original − folded| = \(worst)")
    }

    @Test func foldsWhatItShouldAndKeepsTheRest() throws {
        let small = NetworkFolding.foldedStructure(try NetworkSpec.parse(TestNetworks.small, file: "s.spec"))
        #expect(small.layers.map(\.name) == ["c1", "p1", "c2", "f", "fc", "softmax"])
        #expect(small.layers[0].op.fusedActivation == .relu && small.layers[2].op.fusedActivation == .relu)
        let branchy = try NetworkSpec.parse(TestNetworks.branchy, file: "b.spec")
        let result = try NetworkFolding.fold(branchy, parameters: TestNetworks.parameters(for: branchy, seed: 1))
        #expect(result.network.layers.map(\.name) == ["stem", "a", "sum", "sumbn", "dw", "side", "cat", "ap", "gp", "fc", "softmax"])
        #expect(result.origins[1] == ["a", "abn"])
        // The batchnorm after add becomes a 1x1 depthwise convolution with the ReLU fused.
        #expect(result.origins[3] == ["sumbn", "sumrelu"])
        guard case .depthwiseConv2d(let affine) = result.network.layers[3].op else {
            Issue.record("sumbn should be a depthwise convolution, found \(result.network.layers[3].op.kind)")
            return
        }
        #expect(affine.kernel == Size2(square: 1) && affine.activation == .relu && affine.bias)
        #expect(result.parameters["sumbn.weight"]?.shape == [4, 1, 1, 1])
        // A conv with two readers keeps its batchnorm separate.
        let shared = try NetworkSpec.parse("""
            input 1x4x4
            c: conv2d filters=2 kernel=1
            bn: batchnorm
            other: relu(c)
            add(bn, other)
            global_avgpool
            dense units=10
            """, file: "shared.spec")
        #expect(NetworkFolding.foldedStructure(shared).layers.map(\.op.kind)
            == [.conv2d, .depthwiseConv2d, .relu, .add, .globalAvgPool, .dense])
    }

    @Test func missingParameterIsReported() throws {
        let network = try NetworkSpec.parse(TestNetworks.small, file: "s.spec")
        var parameters = TestNetworks.parameters(for: network, seed: 1)
        parameters["bn2.running_var"] = nil
        #expect(throws: FoldingError.self) { try NetworkFolding.fold(network, parameters: parameters) }
        do {
            _ = try NetworkFolding.fold(network, parameters: parameters)
        } catch {
            #expect(error.description == "missing parameter 'bn2.running_var'")
        }
    }
}
