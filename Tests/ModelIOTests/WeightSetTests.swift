import Foundation
import NetSpec
import Testing
@testable import ModelIO

@Suite struct WeightSetTests {
    typealias B = SafeTensorsBytes

    static func load(_ tensors: [(name: String, tensor: RawTensor)]) throws(SafeTensorsError) -> WeightSet {
        try WeightSet(file: SafeTensorsFile(tensors: tensors), source: "w.safetensors")
    }

    static func loadMessage(_ tensors: [(name: String, tensor: RawTensor)]) -> String {
        do {
            _ = try load(tensors)
            return "loaded"
        } catch {
            return error.description
        }
    }

    @Test func nonFiniteValuesAreRejectedNamingTensorAndElement() {
        let nan = RawTensor(dtype: .f32, shape: [2, 2], bytes: B.f32([0, 1, 2, .nan]))
        #expect(Self.loadMessage([("w", nan)]) == #"w.safetensors: tensor "w" element 3 (index [1, 1]) is NaN; weights must be finite"#)
        let inf = RawTensor(dtype: .f32, shape: [3], bytes: B.f32([0, -.infinity, 1]))
        #expect(Self.loadMessage([("b", inf)]) == #"w.safetensors: tensor "b" element 1 (index [1]) is -Inf; weights must be finite"#)
        let halfInf = RawTensor(dtype: .f16, shape: [2], bytes: [0, 0x3C, 0, 0x7C])
        #expect(Self.loadMessage([("h", halfInf)]) == #"w.safetensors: tensor "h" element 1 (index [1]) is +Inf; weights must be finite"#)
        let brainNaN = RawTensor(dtype: .bf16, shape: [], bytes: [0xC0, 0x7F])
        #expect(Self.loadMessage([("s", brainNaN)]) == #"w.safetensors: tensor "s" element 0 (index []) is NaN; weights must be finite"#)
    }

    @Test func saveThenLoadIsBitExactAndAtomic() throws {
        let directory = try B.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("w.safetensors").path
        let scalars: [Float] = [-0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.leastNormalMagnitude, 0.1, -3]
        let weights = WeightSet(tensors: ["a.weight": Tensor(shape: [2, 3], scalars: scalars), "a.bias": Tensor(shape: [], scalars: [7])],
                                metadata: ["epochs": "3"])
        try weights.save(to: path)
        let loaded = try WeightSet.load(path: path)
        #expect(loaded.tensors["a.weight"]?.shape == [2, 3])
        #expect(loaded.tensors["a.weight"]?.scalars.map(\.bitPattern) == scalars.map(\.bitPattern))
        #expect(loaded.tensors["a.bias"] == Tensor(shape: [], scalars: [7]))
        #expect(loaded.metadata == ["epochs": "3"])
        #expect(loaded.source == path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["w.safetensors"])
        #expect(try SafeTensorsFile.read(path: path).tensors.allSatisfy { $0.tensor.dtype == .f32 })
    }

    @Test func saveRefusesNonFiniteWeights() throws {
        let directory = try B.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("w.safetensors").path
        let weights = WeightSet(tensors: ["x": Tensor(shape: [2], scalars: [1, .nan])])
        #expect(throws: SafeTensorsError(source: path, reason: #"tensor "x" element 1 (index [1]) is NaN; weights must be finite"#)) {
            try weights.save(to: path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    static let spec = """
        network tiny
        input 1x4x4
        c1: conv2d filters=2 kernel=3
        bn: batchnorm
        flatten
        fc: dense units=3
        """

    static func float(_ shape: [Int]) -> RawTensor {
        RawTensor(dtype: .f32, shape: shape, bytes: B.f32([Float](repeating: 0.5, count: shape.reduce(1, *))))
    }

    static var matchingTensors: [(name: String, tensor: RawTensor)] {
        [("c1.weight", float([2, 1, 3, 3])), ("c1.bias", float([2])),
         ("bn.weight", float([2])), ("bn.bias", float([2])), ("bn.running_mean", float([2])), ("bn.running_var", float([2])),
         ("bn.num_batches_tracked", RawTensor(dtype: .i64, shape: [], bytes: [9, 0, 0, 0, 0, 0, 0, 0])),
         ("fc.weight", float([3, 8])), ("fc.bias", float([3]))]
    }

    @Test func matchingWeightsValidate() throws {
        let network = try NetworkSpec.parse(Self.spec, file: "tiny.spec")
        #expect(network.parameters.map(\.name) == ["c1.weight", "c1.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "fc.weight", "fc.bias"])
        let weights = try Self.load(Self.matchingTensors)
        #expect(weights.ignoredTensors == ["bn.num_batches_tracked"])
        try weights.validate(against: network)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let network = try NetworkSpec.parse(Self.spec, file: "tiny.spec")
        var tensors = Self.matchingTensors.filter { !["c1.weight", "c1.bias", "fc.weight", "bn.running_var"].contains($0.name) }
        tensors += [
            ("conv1.weight", Self.float([2, 1, 3, 3])),              // renamed layer
            ("fc.weight", Self.float([3, 9])),                       // wrong shape
            ("stray", Self.float([4])),                              // nothing like it expected
            ("bn.running_var", RawTensor(dtype: .i32, shape: [2], bytes: [UInt8](repeating: 0, count: 8))),
        ]
        let weights = try Self.load(tensors)
        let thrown = #expect(throws: WeightValidationError.self) { try weights.validate(against: network) }
        if let error = thrown {
            #expect(error.problems == [
                .missing(name: "c1.weight", expected: [2, 1, 3, 3]),
                .missing(name: "c1.bias", expected: [2]),
                .unsupportedDType(name: "bn.running_var", dtype: .i32, shape: [2]),
                .misshapen(name: "fc.weight", expected: [3, 8], found: [3, 9]),
                .unused(name: "conv1.weight", shape: [2, 1, 3, 3], suggestion: "c1.weight"),
                .unused(name: "stray", shape: [4], suggestion: nil),
            ])
            #expect(error.description == "w.safetensors: weights do not fit network 'tiny', 6 problems: "
                + "missing tensor 'c1.weight' (expected shape [2, 1, 3, 3]); missing tensor 'c1.bias' (expected shape [2]); "
                + "tensor 'bn.running_var' [2] has dtype I32; weights must be F32, F16 or BF16; "
                + "tensor 'fc.weight' has shape [3, 9], expected [3, 8]; "
                + "unused tensor 'conv1.weight' [2, 1, 3, 3]; did you mean 'c1.weight'?; unused tensor 'stray' [4]")
        }
    }
}
