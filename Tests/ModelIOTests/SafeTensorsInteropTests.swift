import Foundation
import Testing
@testable import ModelIO

/// Files written by the Python `safetensors` package (scripts/make_safetensors_fixture.py).
@Suite struct SafeTensorsInteropTests {
    typealias B = SafeTensorsBytes

    static let convWeight = (0..<18).map { Float($0) * 0.25 - 1 }
    static let convBias: [Float] = [0.5, -0.125]
    static let denseWeight = (0..<12).map { Float($0) / 8 - 0.75 }
    static let denseBias: [Float] = [-0.0, Float(bitPattern: 1), Float.greatestFiniteMagnitude]
    static let halfBits: [UInt16] = [0x3C00, 0xC100, 0x0400, 0x0001, 0x03FF, 0x8000, 0x7BFF]
    static let brainBits: [UInt16] = [0x3F80, 0xC000, 0x0001, 0x007F, 0x8000, 0x7F7F, 0x3DCD]

    static func u16(_ values: [UInt16]) -> [UInt8] { values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }

    /// The fixture's tensors, built in Swift in a scrambled order.
    static var referenceTensors: [(name: String, tensor: RawTensor)] {
        [
            ("half", RawTensor(dtype: .f16, shape: [7], bytes: u16(halfBits))),
            ("scale", RawTensor(dtype: .f32, shape: [], bytes: B.f32([1.5]))),
            ("dense.weight", RawTensor(dtype: .f32, shape: [3, 4], bytes: B.f32(denseWeight))),
            ("conv.weight", RawTensor(dtype: .f32, shape: [2, 1, 3, 3], bytes: B.f32(convWeight))),
            ("empty", RawTensor(dtype: .f32, shape: [0], bytes: [])),
            ("bn.num_batches_tracked", RawTensor(dtype: .i64, shape: [], bytes: [7, 0, 0, 0, 0, 0, 0, 0])),
            ("dense.bias", RawTensor(dtype: .f32, shape: [3], bytes: B.f32(denseBias))),
            ("conv.bias", RawTensor(dtype: .f32, shape: [2], bytes: B.f32(convBias))),
        ]
    }

    @Test func readsThePythonFileExactly() throws {
        let file = try SafeTensorsFile.read(path: try B.fixture("reference"))
        #expect(file.metadata == ["format": "pt"])
        // The Python writer orders by dtype (I64, F32, F16), then by name.
        #expect(file.names == ["bn.num_batches_tracked", "conv.bias", "conv.weight", "dense.bias", "dense.weight", "empty", "scale", "half"])
        for (name, tensor) in Self.referenceTensors {
            #expect(file[name] == tensor, "tensor \(name)")
        }
    }

    @Test func encodingReproducesThePythonFileByteForByte() throws {
        let path = try B.fixture("reference")
        let python = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(SafeTensorsFile(tensors: Self.referenceTensors, metadata: ["format": "pt"]).encoded() == python)
        #expect(try SafeTensorsFile.read(path: path).encoded() == python)
    }

    @Test func bfloat16FileReadsAndReencodesExactly() throws {
        let path = try B.fixture("bfloat16")
        let file = try SafeTensorsFile.read(path: path)
        #expect(file.names == ["brain"])
        #expect(file["brain"] == RawTensor(dtype: .bf16, shape: [7], bytes: Self.u16(Self.brainBits)))
        #expect(file.encoded() == (try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func weightSetWidensHalfPrecisionAndDropsTheBatchCounter() throws {
        let weights = try WeightSet.load(path: try B.fixture("reference"))
        #expect(weights.tensors["conv.weight"] == Tensor(shape: [2, 1, 3, 3], scalars: Self.convWeight))
        #expect(weights.tensors["dense.bias"]?.scalars.map(\.bitPattern) == Self.denseBias.map(\.bitPattern))
        #expect(weights.tensors["scale"] == Tensor(shape: [], scalars: [1.5]))
        #expect(weights.tensors["empty"] == Tensor(shape: [0], scalars: []))
        let half: [Float] = [1, -2.5, 0x1p-14, 0x1p-24, 1023 * 0x1p-24, -0.0, 65504]
        #expect(weights.tensors["half"]?.scalars.map(\.bitPattern) == half.map(\.bitPattern))
        #expect(weights.ignoredTensors == ["bn.num_batches_tracked"])
        #expect(weights.tensors["bn.num_batches_tracked"] == nil)
        #expect(weights.unsupportedTensors.isEmpty)
        #expect(weights.metadata == ["format": "pt"])

        let brain = try WeightSet.load(path: try B.fixture("bfloat16"))
        let expected: [Float] = [1, -2, 0x1p-133, 127 * 0x1p-133, -0.0, Float(bitPattern: 0x7F7F_0000), 0.10009765625]
        #expect(brain.tensors["brain"]?.scalars.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
