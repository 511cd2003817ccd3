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

/// The numbers Specs/README.md states for the shipped specs; the training work relies on these architectures.
@Suite struct ShippedSpecsTests {
    struct Stated: Sendable, CustomTestStringConvertible {
        var name: String
        var parameters: Int
        var trainable: Int
        var macs: Int
        var peakLiveElements: Int
        var testDescription: String { name }
    }

    @Test(arguments: [
        Stated(name: "seed", parameters: 203_434, trainable: 203_434, macs: 11_190_528, peakLiveElements: 61_696),
        Stated(name: "lenet5", parameters: 61_706, trainable: 61_706, macs: 416_520, peakLiveElements: 5_880),
        Stated(name: "convpool", parameters: 421_642, trainable: 421_642, macs: 4_241_152, peakLiveElements: 31_360),
        Stated(name: "resnet", parameters: 78_426, trainable: 77_754, macs: 9_345_920, peakLiveElements: 37_632),
        Stated(name: "best", parameters: 141_098, trainable: 140_458, macs: 9_295_616, peakLiveElements: 50_176),
    ])
    func shippedSpecMatchesItsStatedSummary(_ stated: Stated) throws {
        let network = try NetworkSpec.load(path: SeedSpecTests.repoRoot.appendingPathComponent("Specs/\(stated.name).spec").path)
        #expect(network.name == stated.name)
        #expect(network.outputShape == Shape(features: 10))
        #expect(network.parameterCount == stated.parameters)
        #expect(network.trainableParameterCount == stated.trainable)
        #expect(network.macs == stated.macs)
        let totals = NetworkDescription(network).totals
        #expect(totals.parameters == stated.parameters && totals.macs == stated.macs)
        #expect(totals.peakLiveActivationBytesFloat32 == stated.peakLiveElements * 4)
    }

    @Test func lenet5LayerByLayer() throws {
        let network = try NetworkSpec.load(path: SeedSpecTests.repoRoot.appendingPathComponent("Specs/lenet5.spec").path)
        #expect(network.layers.map { "\($0.name) \($0.outputShape) \($0.parameterCount) \($0.macs)" } == [
            "conv2d 6x28x28 156 117600", "maxpool 6x14x14 0 0", "conv2d_1 16x10x10 2416 240000", "maxpool_1 16x5x5 0 0",
            "flatten 400 0 0", "dense 120 48120 48000", "dense_1 84 10164 10080", "dense_2 10 850 840", "softmax 10 0 0",
        ])
    }
}
