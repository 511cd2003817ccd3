import Foundation
import Testing
@testable import ModelIO

@Suite struct SafeTensorsRoundTripTests {
    typealias B = SafeTensorsBytes

    @Test func writeThenReadIsBitExact() throws {
        let directory = try B.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("all.safetensors").path
        let tensors: [(name: String, tensor: RawTensor)] = SafeTensorsDType.allCases.enumerated().map { index, dtype in
            let shape = [2, index % 3 + 1]
            let bytes = (0..<(shape[0] * shape[1] * dtype.size)).map { UInt8(truncatingIfNeeded: $0 * 37 + index) }
            return (name: "t\(index).\(dtype.rawValue)", tensor: RawTensor(dtype: dtype, shape: shape, bytes: bytes))
        }
        let metadata = ["format": "pt", "quote\"and\\slash/": "line\nbreak\u{01}é", "": "empty key"]
        try SafeTensorsFile(tensors: tensors, metadata: metadata).write(to: path)

        let read = try SafeTensorsFile.read(path: path)
        #expect(read.metadata == metadata)
        #expect(read.tensors.count == tensors.count)
        for (name, tensor) in tensors {
            #expect(read[name] == tensor, "tensor \(name)")
        }
        // Atomic write: only the destination is left in the directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["all.safetensors"])
    }

    @Test func encodingIsDeterministicAndAligned() throws {
        let a = RawTensor(dtype: .f32, shape: [1], bytes: B.f32([1]))
        let h = RawTensor(dtype: .f16, shape: [1], bytes: [0, 0x3C])
        let q = RawTensor(dtype: .i64, shape: [1], bytes: [1, 0, 0, 0, 0, 0, 0, 0])
        let one = SafeTensorsFile(tensors: [("b", a), ("h", h), ("a", a), ("q", q)], metadata: ["z": "1", "a": "2"]).encoded()
        let two = SafeTensorsFile(tensors: [("q", q), ("a", a), ("h", h), ("b", a)], metadata: ["a": "2", "z": "1"]).encoded()
        #expect(one == two)
        let headerLength = Int(one[0]) | Int(one[1]) << 8
        #expect(headerLength % 8 == 0)
        let header = String(decoding: one[8..<(8 + headerLength)], as: UTF8.self)
        #expect(header == #"{"__metadata__":{"a":"2","z":"1"},"q":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},"h":{"dtype":"F16","shape":[1],"data_offsets":[16,18]}}"# + "     ")
    }

    @Test func writeIntoAMissingDirectoryFailsClearly() throws {
        let directory = try B.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("missing/w.safetensors").path
        #expect(throws: SafeTensorsError(source: path, reason: "cannot write: directory '\(directory.path)/missing' does not exist")) {
            try SafeTensorsFile().write(to: path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func writeRejectsTensorsThatCannotFormAValidFile() {
        let bad = RawTensor(dtype: .f32, shape: [2], bytes: [0, 0, 0])
        #expect(throws: SafeTensorsError(source: "w", reason: #"tensor "x" has 3 bytes, but F32 [2] needs 8"#)) {
            try SafeTensorsFile(tensors: [("x", bad)]).write(to: "w")
        }
        let good = RawTensor(dtype: .f32, shape: [], bytes: B.f32([1]))
        #expect(throws: SafeTensorsError(source: "w", reason: #"two tensors are named "x""#)) {
            try SafeTensorsFile(tensors: [("x", good), ("x", good)]).write(to: "w")
        }
        #expect(throws: SafeTensorsError(source: "w", reason: "cannot write a tensor with an empty name")) {
            try SafeTensorsFile(tensors: [("", good)]).write(to: "w")
        }
    }

    @Test func readingAMissingFileNamesIt() {
        #expect(throws: SafeTensorsError(source: "no/such.safetensors", reason: "cannot read: No such file or directory")) {
            try SafeTensorsFile.read(path: "no/such.safetensors")
        }
    }
}
