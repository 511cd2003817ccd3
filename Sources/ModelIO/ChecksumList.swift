import Foundation

/// A SHA256SUMS file: `<64 hex digits>  <file name>` per line, `#` comments. Compatible with `sha256sum -c`.
public struct ChecksumList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var sha256: String
        public var fileName: String
    }

    public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
    }

    public static let fileName = "SHA256SUMS"

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    public static func parse(_ text: String, source: String) throws(ParseError) -> ChecksumList {
        var entries: [Entry] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", maxSplits: 1)
            let hex = parts.first.map(String.init) ?? ""
            var name = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            if name.hasPrefix("*") { name.removeFirst() }  // sha256sum's binary-mode marker
            guard hex.count == 64, hex.allSatisfy(\.isHexDigit), !name.isEmpty else {
                throw ParseError(description: "\(source):\(index + 1): expected '<64 hex digits>  <file name>', found '\(line)'")
            }
            entries.append(Entry(sha256: hex.lowercased(), fileName: name))
        }
        return ChecksumList(entries: entries)
    }

    /// Reads `directory/SHA256SUMS`; an absent file is an empty list.
    public static func load(from directory: URL) throws -> ChecksumList {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return ChecksumList() }
        let text: String
        do {
            // A checksum list names a handful of files: 1 MiB is generous.
            let data = try BoundedFileRead.data(path: url.path, limit: 1 << 20)
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw ParseError(description: "\(url.path): not UTF-8 text")
            }
            text = decoded
        } catch let error as ParseError {
            throw error
        } catch let error as BoundedFileRead.TooLargeError {
            throw ParseError(description: error.description)
        } catch {
            throw ParseError(description: "\(url.path): cannot read: \(FileError.reason(error))")
        }
        return try parse(text, source: url.path)
    }

    public func sha256(of fileName: String) -> String? {
        entries.last { $0.fileName == fileName }?.sha256
    }

    /// Replaces the entry for `fileName`, or appends one.
    public mutating func set(_ sha256: String, for fileName: String) {
        let entry = Entry(sha256: sha256, fileName: fileName)
        guard let index = entries.firstIndex(where: { $0.fileName == fileName }) else {
            entries.append(entry)
            return
        }
        entries.removeAll { $0.fileName == fileName }
        entries.insert(entry, at: index)
    }

    /// `.gz` sums first, then the IDX sums, each in the MNIST distribution's order; other files keep theirs.
    public var text: String {
        func rank(_ name: String) -> (Int, Int) {
            let gzip = name.hasSuffix(".gz") ? 0 : 1
            let order = MNISTFile.all.firstIndex { $0.name == name || $0.gzipName == name } ?? MNISTFile.all.count
            return (gzip, order)
        }
        let sorted = entries.enumerated().sorted { lhs, rhs in
            let (a, b) = (rank(lhs.element.fileName), rank(rhs.element.fileName))
            return a != b ? a < b : lhs.offset < rhs.offset
        }.map(\.element)
        let gzip = sorted.filter { $0.fileName.hasSuffix(".gz") }
        let other = sorted.filter { !$0.fileName.hasSuffix(".gz") }
        var lines: [String] = []
        if !gzip.isEmpty {
            lines.append("# SHA-256 of the gzip files here")
            lines += gzip.map { "\($0.sha256)  \($0.fileName)" }
        }
        if !other.isEmpty {
            lines.append("# SHA-256 of the uncompressed IDX files (what the gzip files decompress to)")
            lines += other.map { "\($0.sha256)  \($0.fileName)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func save(to directory: URL) throws {
        try AtomicFile.write(text, to: directory.appendingPathComponent(Self.fileName).path)
    }
}
