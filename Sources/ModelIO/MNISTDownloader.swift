import Foundation

/// Fetches the MNIST `.gz` files from public mirrors into a directory, verifying every byte before it lands:
/// a file is written (atomically) only after its checksum matches, so the directory never holds a partial
/// or unverified file. SHA256SUMS in the directory is kept in step with what is there.
public struct MNISTDownloader: Sendable {
    public static let defaultMirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ]

    public struct Failure: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
    }

    public enum Event: Sendable, Equatable {
        case alreadyPresent(MNISTFile)
        case replacingInvalid(MNISTFile, reason: String)
        case downloading(MNISTFile, url: String)
        case progress(MNISTFile, received: Int64, total: Int64?)
        case saved(MNISTFile, bytes: Int, verification: MNISTFile.Verification)
        case mirrorFailed(MNISTFile, message: String)
    }

    public struct Summary: Sendable, Equatable {
        public var downloaded: [String] = []
        public var skipped: [String] = []
    }

    public let directory: URL
    public let mirrors: [URL]
    public let files: [MNISTFile]
    public let force: Bool
    public let timeout: TimeInterval

    /// `mirrors` are base URLs; each file is fetched from `<mirror>/<name>.gz`, trying mirrors in order.
    public init(directory: URL, mirrors: [String] = defaultMirrors, files: [MNISTFile] = MNISTFile.all,
                force: Bool = false, timeout: TimeInterval = 60) throws(Failure) {
        guard !mirrors.isEmpty else { throw Failure(description: "no mirror URL given") }
        var parsed: [URL] = []
        for mirror in mirrors {
            let base = mirror.hasSuffix("/") ? mirror : mirror + "/"
            guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  url.host != nil else {
                throw Failure(description: "--mirror \(mirror): expected an http:// or https:// URL")
            }
            parsed.append(url)
        }
        self.directory = directory
        self.mirrors = parsed
        self.files = files
        self.force = force
        self.timeout = timeout
    }

    public func run(events: @escaping @Sendable (Event) -> Void = { _ in }) async throws -> Summary {
        try createDirectory()
        var sums = try ChecksumList.load(from: directory)
        let originalSums = sums
        var summary = Summary()
        defer {
            // Record what is valid even when a later file fails.
            if sums != originalSums { try? sums.save(to: directory) }
        }
        for file in files {
            let destination = directory.appendingPathComponent(file.gzipName)
            if !force, let existing = try? Data(contentsOf: destination) {
                do {
                    let verification = try file.verify(gzip: [UInt8](existing), origin: destination.path)
                    record(file, verification, in: &sums)
                    summary.skipped.append(file.gzipName)
                    events(.alreadyPresent(file))
                    continue
                } catch {
                    events(.replacingInvalid(file, reason: "\(error)"))
                }
            }
            let (bytes, verification) = try await fetch(file, events: events)
            try AtomicFile.write(Data(bytes), to: destination.path)
            record(file, verification, in: &sums)
            try sums.save(to: directory)
            summary.downloaded.append(file.gzipName)
            events(.saved(file, bytes: bytes.count, verification: verification))
        }
        return summary
    }

    /// Tries each mirror until one serves bytes that verify.
    private func fetch(_ file: MNISTFile, events: @escaping @Sendable (Event) -> Void) async throws -> ([UInt8], MNISTFile.Verification) {
        var failures: [String] = []
        for mirror in mirrors {
            let url = mirror.appendingPathComponent(file.gzipName)
            events(.downloading(file, url: url.absoluteString))
            do {
                let data = try await HTTPDownload.get(url, timeout: timeout, maxBytes: file.idxByteCount + (1 << 20)) { received, total in
                    events(.progress(file, received: received, total: total))
                }
                let bytes = [UInt8](data)
                return (bytes, try file.verify(gzip: bytes, origin: url.absoluteString))
            } catch {
                let message = "\(error)"
                failures.append(message)
                if mirror != mirrors.last { events(.mirrorFailed(file, message: message)) }
            }
        }
        throw Failure(description: failures.count == 1 ? failures[0] : "no mirror served a valid \(file.gzipName): " + failures.joined(separator: "; "))
    }

    private func record(_ file: MNISTFile, _ verification: MNISTFile.Verification, in sums: inout ChecksumList) {
        switch verification {
        case .knownGzip(let sum), .knownContent(let sum): sums.set(sum, for: file.gzipName)
        }
        sums.set(file.idxSHA256, for: file.name)
    }

    private func createDirectory() throws(Failure) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Failure(description: "\(directory.path): not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "\(directory.path): cannot create directory: \(FileError.reason(error))")
        }
    }
}
