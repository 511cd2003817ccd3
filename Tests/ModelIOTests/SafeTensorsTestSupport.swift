import Foundation
@testable import ModelIO

/// Builds safetensors buffers by hand for malformed-input tests.
enum SafeTensorsBytes {
    /// Length prefix (the header's byte count unless `length` overrides it), header, data.
    static func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        file(headerBytes: Array(header.utf8), data: data, length: length)
    }

    static func file(headerBytes: [UInt8], data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        let declared = length ?? UInt64(headerBytes.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: declared >> (8 * UInt64($0))) } + headerBytes + data
    }

    static func f32(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32($0))) } }
    }

    /// The error message decoding `bytes` produces, or "decoded" if it succeeds.
    static func decodeMessage(_ bytes: [UInt8], source: String = "bad.safetensors") -> String {
        do {
            _ = try SafeTensorsFile.decode(bytes, source: source)
            return "decoded"
        } catch {
            return error.description
        }
    }

    static func fixture(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "safetensors", subdirectory: "Fixtures") else {
            throw FixtureMissing(name: name)
        }
        return url.path
    }

    struct FixtureMissing: Error { var name: String }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
