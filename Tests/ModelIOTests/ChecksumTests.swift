import Foundation
import Testing
@testable import ModelIO

@Suite struct ChecksumListTests {
    static let a = String(repeating: "a", count: 64)
    static let b = String(repeating: "b", count: 64)

    @Test func parsesSha256sumOutput() throws {
        let list = try ChecksumList.parse("# comment\n\n\(Self.a)  x.gz\n\(Self.b.uppercased()) *y\n", source: "SUMS")
        #expect(list.entries == [.init(sha256: Self.a, fileName: "x.gz"), .init(sha256: Self.b, fileName: "y")])
    }

    @Test func rejectsMalformedLinesWithTheirNumber() {
        #expect(throws: ChecksumList.ParseError(description: "SUMS:2: expected '<64 hex digits>  <file name>', found 'abc  x.gz'")) {
            try ChecksumList.parse("# ok\nabc  x.gz\n", source: "SUMS")
        }
    }

    @Test func updatesInPlaceAndOrdersGzipSumsFirst() {
        var list = ChecksumList()
        list.set(Self.a, for: "t10k-labels-idx1-ubyte")
        list.set(Self.a, for: "t10k-labels-idx1-ubyte.gz")
        list.set(Self.a, for: "train-images-idx3-ubyte.gz")
        list.set(Self.b, for: "t10k-labels-idx1-ubyte.gz")
        #expect(list.sha256(of: "t10k-labels-idx1-ubyte.gz") == Self.b)
        #expect(list.text == """
            # SHA-256 of the gzip files here
            \(Self.a)  train-images-idx3-ubyte.gz
            \(Self.b)  t10k-labels-idx1-ubyte.gz
            # SHA-256 of the uncompressed IDX files (what the gzip files decompress to)
            \(Self.a)  t10k-labels-idx1-ubyte

            """)
    }

    @Test func theCommittedSumsMatchTheEmbeddedOnes() throws {
        let list = try ChecksumList.load(from: TestPaths.committedMNIST)
        for file in [MNISTFile.testImages, .testLabels] {
            #expect(list.sha256(of: file.name) == file.idxSHA256)
            #expect(file.gzipSHA256.contains(list.sha256(of: file.gzipName) ?? "none"))
        }
        // Already in the layout `data fetch` writes, so fetching the training set only adds lines.
        let text = try String(contentsOf: TestPaths.committedMNIST.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        #expect(list.text == text)
    }
}

@Suite struct ChecksumVerifierTests {
    @Test func theCommittedTestSetVerifies() throws {
        let results = try ChecksumVerifier.verify(directory: TestPaths.committedMNIST)
        #expect(results.map(\.fileName).sorted() == ["t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte", "t10k-labels-idx1-ubyte.gz"])
        #expect(results.allSatisfy { $0.status.isOK })
        #expect(results.first { $0.fileName == "t10k-labels-idx1-ubyte" }?.status == .okInflated)
    }

    @Test func reportsMismatchesAndMissingFiles() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("hello\n".utf8).write(to: directory.appendingPathComponent("a.txt"))
        let wrong = String(repeating: "0", count: 64)
        let sums = "\(wrong)  a.txt\n\(wrong)  gone.gz\n"
        try Data(sums.utf8).write(to: directory.appendingPathComponent("SHA256SUMS"))
        let results = try ChecksumVerifier.verify(directory: directory)
        #expect(results.map(\.description) == [
            "FAILED    a.txt: sha256 expected \(wrong), got 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
            "MISSING   gone.gz",
        ])
    }

    @Test func needsASumsFile() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("SHA256SUMS").path
        #expect(throws: ChecksumVerifier.Failure(description: "\(path): no such file (nothing to verify against)")) {
            try ChecksumVerifier.verify(directory: directory)
        }
    }
}
