import Testing
@testable import NetSpec

/// Output shapes for every layer kind, and the padding arithmetic behind them.
@Suite struct ShapeInferenceTests {
    /// The output shape of the last layer of `input` followed by `lines` (the spec need not end flat here).
    func shape(input: String, _ line: String) throws -> Shape {
        let op = try #require(try SpecText.network(input: input, line, "flatten", "dense units=2").layers.first)
        return op.outputShape
    }

    @Test(arguments: [
        // (input, kernel, stride, expected before, after, output)
        (7, 3, 2, 1, 1, 4), (5, 3, 2, 1, 1, 3), (28, 3, 2, 0, 1, 14), (28, 3, 1, 1, 1, 28),
        (6, 2, 2, 0, 0, 3), (4, 5, 1, 2, 2, 4), (7, 1, 2, 0, 0, 4),
    ])
    func samePaddingSplitsLikeTensorFlow(_ c: (Int, Int, Int, Int, Int, Int)) {
        #expect(Padding.same.amounts(input: c.0, kernel: c.1, stride: c.2)
            == Padding.Amounts(before: c.3, after: c.4, output: c.5))
    }

    @Test(arguments: [(5, 5, 1, 1), (7, 3, 2, 3), (8, 3, 2, 3), (28, 3, 1, 26), (4, 5, 1, 0), (3, 5, 1, -1)])
    func validPaddingVisitsOnlyWholeWindows(_ c: (Int, Int, Int, Int)) {
        #expect(Padding.valid.amounts(input: c.0, kernel: c.1, stride: c.2) == Padding.Amounts(before: 0, after: 0, output: c.3))
    }

    @Test func convolutionShapes() throws {
        #expect(try shape(input: "1x7x7", "conv2d filters=4 kernel=3 stride=2 padding=same") == Shape([4, 4, 4]))
        #expect(try shape(input: "1x5x5", "conv2d filters=4 kernel=3 stride=2 padding=same") == Shape([4, 3, 3]))
        #expect(try shape(input: "1x5x5", "conv2d filters=4 kernel=5") == Shape([4, 1, 1]))
        #expect(try shape(input: "1x28x28", "conv2d filters=8 kernel=3x5") == Shape([8, 26, 24]))
        #expect(try shape(input: "1x28x28", "conv2d filters=8 kernel=3x5 padding=same") == Shape([8, 28, 28]))
        #expect(try shape(input: "1x28x28", "conv2d filters=8 kernel=3 stride=1x2") == Shape([8, 26, 13]))
        #expect(try shape(input: "2x9x9", "conv2d filters=8 kernel=3 stride=3") == Shape([8, 3, 3]))
    }

    @Test func depthwiseMultipliesChannels() throws {
        #expect(try shape(input: "3x28x28", "depthwise_conv2d kernel=3 multiplier=2") == Shape([6, 26, 26]))
        #expect(try shape(input: "3x7x7", "depthwise_conv2d kernel=3 stride=2 padding=same") == Shape([3, 4, 4]))
    }

    @Test func poolShapes() throws {
        #expect(try shape(input: "4x28x28", "maxpool") == Shape([4, 14, 14]))
        #expect(try shape(input: "4x28x28", "maxpool size=3 stride=2") == Shape([4, 13, 13]))
        #expect(try shape(input: "4x28x28", "avgpool size=2 stride=1") == Shape([4, 27, 27]))
        #expect(try shape(input: "4x7x7", "maxpool size=2") == Shape([4, 3, 3]))
        #expect(try shape(input: "4x7x7", "maxpool size=2 padding=same") == Shape([4, 4, 4]))
        #expect(try shape(input: "4x8x6", "avgpool size=2x3") == Shape([4, 4, 2]))
    }

    @Test func shapePreservingLayers() throws {
        for line in ["relu", "batchnorm", "dropout rate=0.1"] {
            #expect(try shape(input: "5x6x7", line) == Shape([5, 6, 7]))
        }
        let flat = try SpecText.network(input: "1x4x4", "flatten", "dense units=6", "batchnorm", "relu", "dropout", "softmax")
        #expect(flat.layers.map(\.outputShape) == [Shape([16]), Shape([6]), Shape([6]), Shape([6]), Shape([6]), Shape([6])])
    }

    @Test func flattenIsChannelsTimesHeightTimesWidth() throws {
        let network = try SpecText.network("conv2d filters=32 kernel=5", "flatten", "dense units=10")
        #expect(network.layers[1].outputShape == Shape(features: 32 * 24 * 24))
    }

    @Test func globalAveragePoolKeepsChannels() throws {
        #expect(try shape(input: "64x7x7", "global_avgpool") == Shape([64]))
    }

    @Test func concatJoinsChannelsOrFeatures() throws {
        let spatial = try SpecText.network(
            "a: conv2d filters=16 kernel=3 stride=2 padding=same", "b: conv2d(input) filters=32 kernel=2 stride=2",
            "c: concat(a, b, a)", "flatten", "dense units=2")
        #expect(spatial.layers[2].outputShape == Shape([64, 14, 14]))
        #expect(spatial.layers[2].inputShapes == [Shape([16, 14, 14]), Shape([32, 14, 14]), Shape([16, 14, 14])])
        let flat = try SpecText.network(
            "f: flatten", "a: dense units=10", "b: dense(f) units=20", "c: concat(a, b)", "dense units=2")
        #expect(flat.layers[3].outputShape == Shape([30]))
    }

    @Test func addKeepsTheCommonShape() throws {
        let network = try SpecText.network(
            "a: conv2d filters=4 kernel=3 padding=same", "b: conv2d(input) filters=4 kernel=1", "c: add(a, b, a)",
            "global_avgpool", "dense units=2")
        #expect(network.layers[2].outputShape == Shape([4, 28, 28]))
    }

    @Test func mismatchMessagesNameBothSources() {
        #expect(throws: ShapeInference.Mismatch(message: "add needs inputs of the same shape, found 'x' (4) and 'y' (5)")) {
            try ShapeInference.outputShape(of: .add(MergeAttributes()), inputs: [Shape([4]), Shape([5])], sources: ["'x'", "'y'"])
        }
    }
}

extension ShapeInference.Mismatch: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.message == b.message }
}
