import Foundation

/// Reads a whole file only after checking its size, so a wrong path (a disk image, /dev/zero) gives a one-line
/// error instead of exhausting memory.
enum BoundedFileRead {
    struct TooLargeError: Error, CustomStringConvertible {
        var path: String
        var size: UInt64
        var limit: Int
        var description: String { "\(path): file is \(size) bytes, more than the \(limit) bytes expected at most" }
    }

    /// The file's bytes; throws `TooLargeError` when it is larger than `limit`, or Foundation's error.
    static func data(path: String, limit: Int) throws -> Data {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let type = attributes[.type] as? FileAttributeType
        if type == .typeRegular, let size = (attributes[.size] as? NSNumber)?.uint64Value, size > UInt64(limit) {
            throw TooLargeError(path: path, size: size, limit: limit)
        }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        // Reading one byte past the limit catches files that grow or have no size (pipes, devices).
        let data = try handle.read(upToCount: limit + 1) ?? Data()
        guard data.count <= limit else { throw TooLargeError(path: path, size: UInt64(data.count), limit: limit) }
        return data
    }
}
