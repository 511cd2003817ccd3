import Foundation

/// Checks the files of a directory against its SHA256SUMS. An IDX entry whose raw file is absent is checked
/// against the inflated bytes of its `.gz` instead, since only the `.gz` files are usually kept.
public enum ChecksumVerifier {
    public enum Status: Sendable, Equatable {
        case ok
        /// Verified through `<name>.gz`.
        case okInflated
        case mismatch(expected: String, found: String)
        case missing
        case unreadable(String)

        public var isOK: Bool { self == .ok || self == .okInflated }
    }

    public struct Result: Sendable, Equatable, CustomStringConvertible {
        public var fileName: String
        public var status: Status

        public var description: String {
            switch status {
            case .ok: "OK        \(fileName)"
            case .okInflated: "OK        \(fileName) (inflated from \(fileName).gz)"
            case .mismatch(let expected, let found): "FAILED    \(fileName): sha256 expected \(expected), got \(found)"
            case .missing: "MISSING   \(fileName)"
            case .unreadable(let reason): "FAILED    \(fileName): \(reason)"
            }
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
    }

    public static func verify(directory: URL) throws -> [Result] {
        let sumsPath = directory.appendingPathComponent(ChecksumList.fileName).path
        guard FileManager.default.fileExists(atPath: sumsPath) else {
            throw Failure(description: "\(sumsPath): no such file (nothing to verify against)")
        }
        let list = try ChecksumList.load(from: directory)
        return list.entries.map { entry in
            Result(fileName: entry.fileName, status: check(entry, in: directory))
        }
    }

    private static func check(_ entry: ChecksumList.Entry, in directory: URL) -> Status {
        let path = directory.appendingPathComponent(entry.fileName).path
        let gzipPath = path + ".gz"
        do {
            if FileManager.default.fileExists(atPath: path) {
                let found = SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
                return found == entry.sha256 ? .ok : .mismatch(expected: entry.sha256, found: found)
            }
            if FileManager.default.fileExists(atPath: gzipPath) {
                let limit = MNISTFile.named(entry.fileName)?.idxByteCount ?? (1 << 30)
                let bytes = try Gzip.decompress(try Data(contentsOf: URL(fileURLWithPath: gzipPath)), source: gzipPath, limit: limit)
                let found = SHA256.hex(bytes)
                return found == entry.sha256 ? .okInflated : .mismatch(expected: entry.sha256, found: found)
            }
            return .missing
        } catch let error as Gzip.DecompressionError {
            return .unreadable(error.description)
        } catch {
            return .unreadable("cannot read: \(FileError.reason(error))")
        }
    }
}
