import Foundation
import Testing
@testable import ModelIO

/// The downloader against a local HTTP server serving real MNIST files (no internet needed).
@Suite struct MNISTDownloaderTests {
    /// The committed test set: small enough that hashing it in a debug build under a parallel test run stays
    /// quick (the 47 MB training images made the suite take a minute on a loaded 2-core machine).
    static let source: URL = TestPaths.committedMNIST
    static let servedFiles: [MNISTFile] = [.testImages, .testLabels]

    static func bytes(of file: MNISTFile) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: source.appendingPathComponent(file.gzipName)))
    }

    static func routes(_ files: [MNISTFile]) throws -> [String: TestHTTPServer.Response] {
        var routes: [String: TestHTTPServer.Response] = [:]
        for file in files { routes["/mnist/\(file.gzipName)"] = .file(try bytes(of: file)) }
        return routes
    }

    /// Collects events from URLSession's queue.
    final class EventLog: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [MNISTDownloader.Event] = []
        func append(_ event: MNISTDownloader.Event) {
            if case .progress = event { return }
            lock.withLock { events.append(event) }
        }
        var all: [MNISTDownloader.Event] { lock.withLock { events } }
    }

    @Test func downloadsVerifiesAndThenSkips() async throws {
        let server = try TestHTTPServer(routes: try Self.routes(Self.servedFiles))
        defer { server.stop() }
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("nested/mnist")  // created on demand
        let downloader = try MNISTDownloader(directory: target, mirrors: [server.baseURL + "mnist"], files: Self.servedFiles)

        let first = try await downloader.run()
        let names = Self.servedFiles.map(\.gzipName)
        #expect(first == MNISTDownloader.Summary(downloaded: names, skipped: []))
        #expect(try TestPaths.listing(target) == (names + ["SHA256SUMS"]).sorted())
        for file in Self.servedFiles {
            #expect([UInt8](try Data(contentsOf: target.appendingPathComponent(file.gzipName))) == (try Self.bytes(of: file)))
        }
        var expectedSums = ChecksumList()
        for file in Self.servedFiles {
            expectedSums.set(SHA256.hex(try Self.bytes(of: file)), for: file.gzipName)
            expectedSums.set(file.idxSHA256, for: file.name)
        }
        let written = try String(contentsOf: target.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        #expect(written == expectedSums.text)
        // The source directory's SHA256SUMS lists the same sums in the same layout.
        let sourceSums = try ChecksumList.load(from: Self.source)
        #expect(Set(try ChecksumList.parse(written, source: "written").entries.map { "\($0.sha256) \($0.fileName)" })
            == Set(sourceSums.entries.map { "\($0.sha256) \($0.fileName)" }))

        let log = EventLog()
        let second = try await downloader.run { log.append($0) }
        #expect(second == MNISTDownloader.Summary(downloaded: [], skipped: names))
        #expect(log.all == Self.servedFiles.map { .alreadyPresent($0) })
        #expect(server.requestedPaths.count == Self.servedFiles.count)
        #expect(try String(contentsOf: target.appendingPathComponent("SHA256SUMS"), encoding: .utf8) == written)
    }

    @Test func acceptsADifferentGzipWrapperAroundTheRightData() async throws {
        var rewrapped = try Self.bytes(of: .testLabels)
        rewrapped[4] ^= 0x5a  // the gzip header's MTIME field: not covered by the CRC
        let server = try TestHTTPServer(routes: ["/m/t10k-labels-idx1-ubyte.gz": .file(rewrapped)])
        defer { server.stop() }
        let target = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: target) }
        let log = EventLog()
        _ = try await MNISTDownloader(directory: target, mirrors: [server.baseURL + "m/"], files: [.testLabels]).run { log.append($0) }
        let sum = SHA256.hex(rewrapped)
        #expect(log.all.last == .saved(.testLabels, bytes: rewrapped.count, verification: .knownContent(gzipSHA256: sum)))
        #expect(try ChecksumList.load(from: target).sha256(of: "t10k-labels-idx1-ubyte.gz") == sum)
    }

    @Test func aCorruptDownloadLeavesTheDestinationUntouched() async throws {
        var corrupt = try Self.bytes(of: .testLabels)
        corrupt[corrupt.count - 8] ^= 0xff  // CRC-32 of the content
        let server = try TestHTTPServer(routes: ["/mnist/t10k-labels-idx1-ubyte.gz": .file(corrupt)])
        defer { server.stop() }
        let target = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: target) }
        // A valid copy is already there; --force asks for a fresh one, which turns out corrupt.
        let original = try Self.bytes(of: .testLabels)
        try Data(original).write(to: target.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        let sumsBefore = "# hand-written\n\(SHA256.hex(original))  t10k-labels-idx1-ubyte.gz\n"
        try Data(sumsBefore.utf8).write(to: target.appendingPathComponent("SHA256SUMS"))

        let url = server.baseURL + "mnist/t10k-labels-idx1-ubyte.gz"
        let expected = MNISTFile.testLabels.gzipSHA256.sorted().joined(separator: " or ")
        let message = "sha256 mismatch for t10k-labels-idx1-ubyte.gz from \(url): expected \(expected), got \(SHA256.hex(corrupt)) (and it does not inflate: corrupt gzip data in member 1 near input offset \(corrupt.count - 4): incorrect data check)"
        let downloader = try MNISTDownloader(directory: target, mirrors: [server.baseURL + "mnist/"], files: [.testLabels], force: true)
        await #expect(throws: MNISTDownloader.Failure(description: message)) { try await downloader.run() }

        #expect(try TestPaths.listing(target) == ["SHA256SUMS", "t10k-labels-idx1-ubyte.gz"])
        #expect([UInt8](try Data(contentsOf: target.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))) == original)
        #expect(try String(contentsOf: target.appendingPathComponent("SHA256SUMS"), encoding: .utf8) == sumsBefore)
    }

    @Test func replacesAnInvalidFileWithoutForce() async throws {
        let good = try Self.bytes(of: .testLabels)
        let server = try TestHTTPServer(routes: ["/t10k-labels-idx1-ubyte.gz": .file(good)])
        defer { server.stop() }
        let target = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: target) }
        let destination = target.appendingPathComponent("t10k-labels-idx1-ubyte.gz")
        try Data(good.prefix(100)).write(to: destination)  // an earlier, interrupted copy made by hand
        let log = EventLog()
        let summary = try await MNISTDownloader(directory: target, mirrors: [server.baseURL], files: [.testLabels]).run { log.append($0) }
        #expect(summary.downloaded == ["t10k-labels-idx1-ubyte.gz"])
        guard case .replacingInvalid(.testLabels, let reason) = log.all.first else {
            Issue.record("expected a replacingInvalid event first, got \(log.all)")
            return
        }
        #expect(reason.hasPrefix("sha256 mismatch for t10k-labels-idx1-ubyte.gz from \(destination.path): expected "))
        #expect(reason.hasSuffix("(and it does not inflate: truncated gzip stream: input ended after 100 bytes, before the end of member 1)"))
        #expect([UInt8](try Data(contentsOf: destination)) == good)
    }

    @Test func aDroppedConnectionWritesNothing() async throws {
        let whole = try Self.bytes(of: .testImages)
        let server = try TestHTTPServer(routes: ["/mnist/t10k-images-idx3-ubyte.gz": .dropped(bytes: Array(whole.prefix(100_000)), claimedLength: whole.count)])
        defer { server.stop() }
        let target = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: target) }
        let downloader = try MNISTDownloader(directory: target, mirrors: [server.baseURL + "mnist/"], files: [.testImages])
        let url = server.baseURL + "mnist/t10k-images-idx3-ubyte.gz"
        await #expect(throws: MNISTDownloader.Failure(description: "cannot download \(url): connection dropped after 100000 of \(whole.count) bytes (Content-Length)")) {
            try await downloader.run()
        }
        #expect(try TestPaths.listing(target) == [])
    }

    @Test func reportsHTTPErrors() async throws {
        let server = try TestHTTPServer(routes: [:])
        defer { server.stop() }
        let target = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: target) }
        let downloader = try MNISTDownloader(directory: target, mirrors: [server.baseURL + "mnist/"], files: [.testLabels])
        let url = server.baseURL + "mnist/t10k-labels-idx1-ubyte.gz"
        await #expect(throws: MNISTDownloader.Failure(description: "cannot download \(url): HTTP status 404, expected 200")) {
            try await downloader.run()
        }
        #expect(try TestPaths.listing(target) == [])
    }

    @Test func fallsBackToTheNextMirror() async throws {
        let server = try TestHTTPServer(routes: ["/good/t10k-labels-idx1-ubyte.gz": .file(try Self.bytes(of: .testLabels))])
        defer { server.stop() }
        let target = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: target) }
        let log = EventLog()
        let summary = try await MNISTDownloader(directory: target, mirrors: [server.baseURL + "bad", server.baseURL + "good"], files: [.testLabels])
            .run { log.append($0) }
        #expect(summary.downloaded == ["t10k-labels-idx1-ubyte.gz"])
        #expect(log.all.count == 4)
        #expect(log.all.first == .downloading(.testLabels, url: server.baseURL + "bad/t10k-labels-idx1-ubyte.gz"))
        #expect(log.all.dropFirst().first == .mirrorFailed(.testLabels, message: "cannot download \(server.baseURL)bad/t10k-labels-idx1-ubyte.gz: HTTP status 404, expected 200"))
        #expect(server.requestedPaths == ["/bad/t10k-labels-idx1-ubyte.gz", "/good/t10k-labels-idx1-ubyte.gz"])
    }

    @Test func refusesMirrorsThatAreNotHTTP() {
        #expect(throws: MNISTDownloader.Failure(description: "--mirror ftp://example.org/mnist: expected an http:// or https:// URL")) {
            try MNISTDownloader(directory: TestPaths.fixtures, mirrors: ["ftp://example.org/mnist"])
        }
    }

    @Test func anUnreachableMirrorIsOneClearLine() async throws {
        // A port that was just listening and is now closed: the connection is refused at once.
        let closed = try TestHTTPServer(routes: [:])
        closed.stop()
        let target = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: target) }
        let downloader = try MNISTDownloader(directory: target, mirrors: [closed.baseURL], files: [.testLabels])
        await #expect(throws: MNISTDownloader.Failure(description: "cannot download \(closed.baseURL)t10k-labels-idx1-ubyte.gz: connection refused")) {
            try await downloader.run()
        }
        #expect(try TestPaths.listing(target) == [])
    }
}
