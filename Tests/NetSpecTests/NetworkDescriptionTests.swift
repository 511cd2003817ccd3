import Foundation
import Testing
@testable import NetSpec

@Suite struct NetworkDescriptionTests {
    @Test func descriptionCarriesEverythingResolved() throws {
        let network = try NetworkSpec.parse(try SpecText.fixture("residual.spec"), file: "residual.spec")
        let description = NetworkDescription(network)
        #expect(description.name == "residual_fixture")
        #expect(description.input == .init(shape: [1, 28, 28], scale: Float(1.0 / 255.0), mean: 0.1307, std: 0.3081))
        #expect(description.labels.count == 10)
        let sum = try #require(description.layers.first { $0.name == "sum" })
        #expect(sum.kind == .add)
        #expect(sum.inputs == ["a3", "proj"])
        #expect(sum.inputShapes == [[16, 14, 14], [16, 14, 14]])
        #expect(sum.outputShape == [16, 14, 14])
        #expect(sum.line == 12)
        var expected = LayerAttributes()
        expected.activation = .relu
        #expect(sum.attributes == expected)
        let stem = description.layers[0]
        #expect(stem.inputs == ["input"])
        #expect(stem.attributes.kernel == [3, 5] && stem.attributes.stride == [1, 1] && stem.attributes.padding == .same)
        #expect(stem.parameters.map(\.name) == ["stem.weight", "stem.bias"])
        #expect(stem.macs == 94_080)
        #expect(description.totals.parameters == 1_802)
        #expect(description.totals.trainableParameters == 1_770)
        #expect(description.totals.nonTrainableParameters == 32)
        #expect(description.totals.macs == 345_280)
    }

    @Test func jsonRoundTripsAndLeavesOutAttributesAKindDoesNotTake() throws {
        let network = try NetworkSpec.parse(try SpecText.fixture("residual.spec"), file: "residual.spec")
        let description = NetworkDescription(network)
        let data = try description.jsonData()
        #expect(try NetworkDescription(jsonData: data) == description)
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"name\" : \"a3\""))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let layers = try #require(object["layers"] as? [[String: Any]])
        let relu = try #require(layers.first { $0["name"] as? String == "a3" })
        #expect((relu["attributes"] as? [String: Any])?.isEmpty == true)
        let bn = try #require(layers.first { $0["name"] as? String == "a2" })
        #expect((bn["attributes"] as? [String: Any]).map { Set($0.keys) } == ["epsilon", "momentum"])
    }

    @Test func attributesRebuildTheOperation() throws {
        let network = try NetworkSpec.parse(try SpecText.fixture("residual.spec"), file: "residual.spec")
        for layer in network.layers {
            #expect(try LayerAttributes(layer.op).operation(kind: layer.op.kind) == layer.op)
        }
        let pools = try SpecText.network("maxpool size=3 stride=1", "avgpool size=2x1 padding=same", "flatten", "dense units=2")
        for layer in pools.layers {
            #expect(try LayerAttributes(layer.op).operation(kind: layer.op.kind) == layer.op)
        }
        #expect(throws: LayerAttributes.Incomplete(kind: .conv2d, attribute: "filters")) {
            try LayerAttributes().operation(kind: .conv2d)
        }
        #expect(LayerAttributes.Incomplete(kind: .dense, attribute: "units").description
            == "dense layer description lacks attribute 'units' (expected a value; sizes as [height, width])")
    }

    @Test func activationMemoryFollowsLiveness() throws {
        let network = try SpecText.network(input: "1x4x4",
            "a: conv2d filters=2 kernel=3 padding=same", "b: relu", "c: add(a, b)", "flatten", "dense units=2")
        let memory = network.activationMemory
        #expect(memory.outputElements == 4 * 32 + 2)
        #expect(memory.liveElements == [16 + 32, 64, 96, 64, 34])
        #expect(memory.peakLiveElements == 96)
        #expect(memory.peakLayer == 2)
        let totals = NetworkDescription(network).totals
        #expect(totals.activationBytesFloat32 == 520 && totals.activationBytesInt8 == 130)
        #expect(totals.peakLiveActivationBytesFloat32 == 384 && totals.peakLiveActivationBytesInt8 == 96)
        #expect(totals.peakLayer == "c")
    }

    @Test func seedActivationMemory() throws {
        let network = try NetworkSpec.load(path: SpecText.repoRoot.appendingPathComponent("Specs/seed.spec").path)
        let memory = network.activationMemory
        #expect(memory.outputElements == 43_264 + 18_432 + 18_432 + 10 + 10)
        #expect(memory.liveElements == [784 + 43_264, 43_264 + 18_432, 18_432 * 2, 18_432 + 10, 20])
        #expect(memory.peakLayer == 1)
    }
}

extension LayerAttributes.Incomplete: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.kind == b.kind && a.attribute == b.attribute }
}
