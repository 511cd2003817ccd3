import Testing
@testable import NetSpec

/// Valid specs: what the parser and graph builder make of each piece of syntax.
@Suite struct ParserTests {
    @Test func sequentialSpecGetsKerasStyleAutomaticNames() throws {
        let network = try SpecText.network(
            "conv2d filters=4 kernel=3", "relu", "conv2d filters=4 kernel=3", "relu",
            "flatten", "dense units=10", "softmax")
        #expect(network.layers.map(\.name) == ["conv2d", "relu", "conv2d_1", "relu_1", "flatten", "dense", "softmax"])
        #expect(network.isSequential)
        #expect(network.layers[0].inputs == [.networkInput])
        #expect(network.layers[3].inputs == [.layer(2)])
        #expect(network.name == "t")
        #expect(network.file == "t.spec")
    }

    @Test func automaticNamesSkipNamesTakenExplicitlyAnywhereInTheFile() throws {
        let network = try SpecText.network(
            "conv2d filters=4 kernel=3", "conv2d_1: relu", "conv2d filters=4 kernel=3", "flatten", "dense units=10")
        #expect(network.layers.map(\.name) == ["conv2d", "conv2d_1", "conv2d_2", "flatten", "dense"])
    }

    @Test func fixtureWithResidualBlockCommentsContinuationFractionsAndDims() throws {
        let network = try NetworkSpec.parse(try SpecText.fixture("residual.spec"), file: "residual.spec")
        #expect(network.name == "residual_fixture")
        #expect(network.input.shape == Shape(channels: 1, height: 28, width: 28))
        #expect(network.input.scale == Float(1.0 / 255.0))
        #expect(network.input.mean == 0.1307)
        #expect(network.input.std == 0.3081)
        #expect(network.labels == ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
        #expect(network.layers.map(\.name)
            == ["stem", "a1", "a2", "a3", "proj", "sum", "both", "global_avgpool", "dropout", "dense", "softmax"])
        #expect(!network.isSequential)
        let sum = try #require(network.layer(named: "sum"))
        #expect(sum.inputs == [.layer(3), .layer(4)])
        #expect(sum.op == .add(MergeAttributes(activation: .relu)))
        #expect(sum.location == SourceLocation(file: "residual.spec", line: 12, column: 1))
        #expect(network.layers[0].op == .conv2d(Conv2DAttributes(
            filters: 8, kernel: Size2(3, 5), padding: .same, activation: .relu)))
        #expect(network.layers[2].op == .batchNorm(BatchNormAttributes(epsilon: 1e-3, momentum: 0.01)))
        #expect(network.layers[4].inputs == [.layer(0)])
        #expect(network.layers.map(\.outputShape.description)
            == ["8x28x28", "16x14x14", "16x14x14", "16x14x14", "16x14x14", "16x14x14", "32x14x14", "32", "32", "10", "10"])
        #expect(network.parameterCount == 1_802)
        #expect(network.trainableParameterCount == 1_770)
        #expect(network.macs == 345_280)
    }

    @Test func defaultsAreFilledIn() throws {
        let network = try SpecText.network(
            "conv2d filters=4 kernel=3", "depthwise_conv2d kernel=3", "maxpool", "avgpool size=3",
            "batchnorm", "dropout", "global_avgpool", "dense units=10")
        #expect(network.input.scale == Float(1.0 / 255.0) && network.input.mean == 0 && network.input.std == 1)
        #expect(network.layers.map(\.op) == [
            .conv2d(Conv2DAttributes(filters: 4, kernel: Size2(3, 3), stride: Size2(1, 1), padding: .valid,
                                     activation: .none, bias: true)),
            .depthwiseConv2d(DepthwiseConv2DAttributes(multiplier: 1, kernel: Size2(3, 3))),
            .maxPool(PoolAttributes(size: Size2(2, 2), stride: Size2(2, 2), padding: .valid)),
            .avgPool(PoolAttributes(size: Size2(3, 3), stride: Size2(3, 3))),
            .batchNorm(BatchNormAttributes(epsilon: 1e-5, momentum: 0.1)),
            .dropout(DropoutAttributes(rate: 0.5)),
            .globalAvgPool,
            .dense(DenseAttributes(units: 10, activation: .none, bias: true)),
        ])
    }

    @Test func numbersAcceptSignsExponentsAndFractions() throws {
        let network = try SpecText.network(input: "1x28x28 scale=2/510 mean=-0.5 std=+5e-1", "flatten", "dense units=10")
        #expect(network.input.scale == Float(2.0 / 510.0))
        #expect(network.input.mean == -0.5)
        #expect(network.input.std == 0.5)
    }

    @Test func labelsMayBeWordsNumbersOrStrings() throws {
        let network = try SpecText.parse("""
            input 1x4x4
            labels cat 7 "no digit"
            flatten
            dense units=3
            """)
        #expect(network.labels == ["cat", "7", "no digit"])
    }

    @Test func commentsBlankLinesAndCarriageReturnsAreIgnored() throws {
        let network = try SpecText.parse("# header\r\n\r\ninput 1x8x8   # the input\r\n  flatten\t# tab\r\ndense units=2\r\n")
        #expect(network.layers.map(\.name) == ["flatten", "dense"])
        #expect(network.layers[1].location == SourceLocation(file: "t.spec", line: 5, column: 1))
    }

    @Test func lineContinuationJoinsAttributesAcrossLines() throws {
        let network = try SpecText.parse("input 1x8x8\nconv2d filters=2 \\\n   kernel=3 \\  \n padding=same\nflatten\ndense units=2\n")
        #expect(network.layers[0].op == .conv2d(Conv2DAttributes(filters: 2, kernel: Size2(3, 3), padding: .same)))
        #expect(network.layers[1].location.line == 5)
    }

    @Test func lineContinuationMayCarryAComment() throws {
        let network = try SpecText.parse("input 1x8x8\nconv2d filters=2 \\  # two maps\n   kernel=3\nflatten\ndense units=2\n")
        #expect(network.layers[0].op == .conv2d(Conv2DAttributes(filters: 2, kernel: Size2(3, 3))))
    }

    @Test func explicitInputMayNameTheNetworkInput() throws {
        let network = try SpecText.network(
            "a: conv2d filters=2 kernel=3 padding=same", "b: conv2d(input) filters=2 kernel=1", "c: add(a, b)",
            "flatten", "dense units=10")
        #expect(network.layers[1].inputs == [.networkInput])
        #expect(network.name(of: .networkInput) == "input")
        #expect(network.name(of: .layer(1)) == "b")
        #expect(network.consumers == [[2], [2], [3], [4], []])
    }

    @Test func loadReportsMissingFilesAsDiagnostics() {
        #expect {
            try NetworkSpec.load(path: "no/such/file.spec")
        } throws: { error in
            "\(error)" == "no/such/file.spec:1:1: error: no such spec file"
        }
    }
}
