import Testing
@testable import NetSpec

/// Weight tensors (PyTorch `state_dict` names and shapes), parameter counts and MACs for each layer kind.
@Suite struct ParameterTests {
    func layer(input: String = "1x28x28", _ line: String) throws -> Layer {
        try #require(try SpecText.network(input: input, line, "flatten", "dense units=2").layers.first)
    }

    func summary(_ layer: Layer) -> [String] {
        layer.parameters.map { "\($0.name) \($0.shape) \($0.trainable)" }
    }

    @Test func conv2dWeightsAreOIHW() throws {
        let conv = try layer("c: conv2d filters=8 kernel=3x5 padding=same")
        #expect(summary(conv) == ["c.weight [8, 1, 3, 5] true", "c.bias [8] true"])
        #expect(conv.parameterCount == 128)
        #expect(conv.macs == 28 * 28 * 8 * 15)
        let noBias = try layer(input: "3x10x10", "conv2d filters=4 kernel=3 stride=2 bias=false")
        #expect(summary(noBias) == ["conv2d.weight [4, 3, 3, 3] true"])
        #expect(noBias.macs == 4 * 4 * 4 * 3 * 9)
    }

    @Test func depthwiseWeightsHaveOneInputChannelPerGroup() throws {
        let conv = try layer(input: "3x28x28", "depthwise_conv2d kernel=3 multiplier=2")
        #expect(summary(conv) == ["depthwise_conv2d.weight [6, 1, 3, 3] true", "depthwise_conv2d.bias [6] true"])
        #expect(conv.parameterCount == 60)
        #expect(conv.macs == 26 * 26 * 6 * 9)
    }

    @Test func denseWeightsAreOutByIn() throws {
        let network = try SpecText.network("flatten", "fc: dense units=10", "dense units=3 bias=false")
        #expect(summary(network.layers[1]) == ["fc.weight [10, 784] true", "fc.bias [10] true"])
        #expect(network.layers[1].parameterCount == 7_850)
        #expect(network.layers[1].macs == 7_840)
        #expect(summary(network.layers[2]) == ["dense.weight [3, 10] true"])
        #expect(network.layers[2].macs == 30)
    }

    @Test func batchnormRunningStatisticsAreNotTrainable() throws {
        let bn = try layer(input: "16x4x4", "bn: batchnorm")
        #expect(summary(bn) == ["bn.weight [16] true", "bn.bias [16] true", "bn.running_mean [16] false", "bn.running_var [16] false"])
        #expect(bn.parameterCount == 64)
        #expect(bn.macs == 0)
        let network = try SpecText.network(input: "16x4x4", "bn: batchnorm", "flatten", "dense units=2 bias=false")
        #expect(network.parameterCount == 64 + 512)
        #expect(network.trainableParameterCount == 32 + 512)
    }

    @Test(arguments: ["maxpool", "avgpool", "global_avgpool", "relu", "dropout", "flatten"])
    func layersWithoutWeights(_ line: String) throws {
        let layer = try layer(input: "4x8x8", line)
        #expect(layer.parameters.isEmpty)
        #expect(layer.macs == 0)
    }

    @Test func mergesAndSoftmaxHaveNoWeights() throws {
        let network = try SpecText.network(
            "a: flatten", "b: add(a, a)", "c: concat(a, b)", "dense units=2", "softmax")
        #expect(network.layers.map(\.parameterCount) == [0, 0, 0, 1_568 * 2 + 2, 0])
        #expect(network.layers.map(\.macs) == [0, 0, 0, 1_568 * 2, 0])
    }
}
