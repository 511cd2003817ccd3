import Foundation
import Testing
@testable import ModelIO

@Suite struct MNISTDatasetTests {
    @Test func loadsTheCommittedTestSet() throws {
        let test = try MNISTDataset.load(.test, from: TestPaths.committedMNIST)
        #expect(test.count == 10_000)
        #expect(test.rows == 28 && test.columns == 28)
        #expect(test.images.count == 10_000 * 784)
        #expect(test.labelCounts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        #expect(test.labels.first == 7)
        // The first test image is a 7: blank top rows, ink in the middle.
        #expect(test.image(0).prefix(28 * 5).allSatisfy { $0 == 0 })
        #expect(test.image(0).max() == 255)
        // Header plus pixels must be exactly the published IDX file.
        let header = IDXBytes.header(magic: 0x0803, dimensions: [10_000, 28, 28])
        #expect(SHA256.hex(header + test.images) == MNISTFile.testImages.idxSHA256)
    }

    @Test func loadsTheSharedTrainingSetIfPresent() throws {
        let images = TestPaths.sharedMNIST.appendingPathComponent("train-images-idx3-ubyte.gz")
        guard FileManager.default.fileExists(atPath: images.path) else {
            print("skipping: \(images.lastPathComponent) not in ../shared/data/mnist")
            return
        }
        let train = try MNISTDataset.load(.train, from: TestPaths.sharedMNIST)
        #expect(train.count == 60_000)
        #expect(train.images.count == 60_000 * 784)
        #expect(train.labelCounts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        #expect(train.labels.prefix(5) == [5, 0, 4, 1, 9])
    }

    @Test func rejectsAnOversizedRawFileWithoutReadingIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("digits-big-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let images = directory.appendingPathComponent("t10k-images-idx3-ubyte")
        // A sparse 1 GiB file: cheap to make, and reading it whole would be the bug.
        #expect(FileManager.default.createFile(atPath: images.path, contents: nil))
        let handle = try FileHandle(forWritingTo: images)
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        try FileManager.default.copyItem(at: TestPaths.committedMNIST.appendingPathComponent("t10k-labels-idx1-ubyte.gz"),
                                         to: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        let error = #expect(throws: IDXError.self) { try MNISTDataset.load(.test, from: directory) }
        #expect(error?.description == "\(images.path): too large: 1073741824 bytes, the limit is 67108864")
    }

    @Test func rejectsAnOversizedChecksumList() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("digits-sums-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sums = directory.appendingPathComponent("SHA256SUMS")
        #expect(FileManager.default.createFile(atPath: sums.path, contents: nil))
        let handle = try FileHandle(forWritingTo: sums)
        try handle.truncate(atOffset: 5 << 20)
        try handle.close()
        let error = #expect(throws: ChecksumList.ParseError.self) { try ChecksumList.load(from: directory) }
        #expect(error?.description == "\(sums.path): file is 5242880 bytes, more than the 1048576 bytes expected at most")
    }

    @Test func prefersGzipButReadsRawFiles() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(IDXBytes.images(count: 2)).write(to: directory.appendingPathComponent("t10k-images-idx3-ubyte"))
        try Data(IDXBytes.labels([3, 9])).write(to: directory.appendingPathComponent("t10k-labels-idx1-ubyte"))
        let raw = try MNISTDataset.load(.test, from: directory)
        #expect(raw.labels == [3, 9])
        #expect(raw.image(1).first == UInt8(truncatingIfNeeded: 784))

        // A .gz next to the raw file wins.
        try FileManager.default.copyItem(at: TestPaths.committedMNIST.appendingPathComponent("t10k-labels-idx1-ubyte.gz"),
                                         to: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        #expect(throws: IDXError(source: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path,
                                 reason: "10000 labels, but \(directory.appendingPathComponent("t10k-images-idx3-ubyte").path) has 2 images")) {
            try MNISTDataset.load(.test, from: directory)
        }
    }

    @Test func subsetsKeepImagesAndLabelsTogether() throws {
        let data = try MNISTDataset.decode(images: IDXBytes.images(count: 4, fill: { UInt8($0 / 784) }), imagesSource: "i",
                                           labels: IDXBytes.labels([0, 1, 2, 3]), labelsSource: "l")
        let middle = data.subset(1..<3)
        #expect(middle.count == 2 && middle.labels == [1, 2])
        #expect(Set(middle.images) == [1, 2])
        let picked = data.subset([3, 0])
        #expect(picked.labels == [3, 0])
        #expect(Array(picked.image(0)) == [UInt8](repeating: 3, count: 784))
        #expect(Array(picked.image(1)) == [UInt8](repeating: 0, count: 784))
    }

    @Test func inMemoryDatasetsAreChecked() throws {
        let tiny = try MNISTDataset(images: [1, 2, 3, 4, 5, 6], labels: [4, 9], rows: 1, columns: 3)
        #expect(Array(tiny.image(1)) == [4, 5, 6])
        #expect(throws: MNISTDataset.ShapeError(description: "MNISTDataset: 5 pixels for 2 images of 1×3")) {
            try MNISTDataset(images: [1, 2, 3, 4, 5], labels: [4, 9], rows: 1, columns: 3)
        }
        #expect(throws: MNISTDataset.ShapeError(description: "MNISTDataset: label 12 at index 1 is outside 0…9")) {
            try MNISTDataset(images: [1, 2], labels: [4, 12], rows: 1, columns: 1)
        }
    }

    // MARK: validation of the MNIST layout

    private func decode(images: [UInt8], labels: [UInt8]) throws -> MNISTDataset {
        try MNISTDataset.decode(images: images, imagesSource: "imgs.idx", labels: labels, labelsSource: "lbls.idx")
    }

    @Test func rejectsSwappedFiles() {
        #expect(throws: IDXError(source: "imgs.idx", reason: "bad magic 0x00000801, expected 0x00000803 (MNIST images: unsigned byte, 3 dimensions); found 1 dimensions")) {
            try decode(images: IDXBytes.labels([1]), labels: IDXBytes.labels([1]))
        }
    }

    @Test func rejectsAWrongTypeCode() {
        #expect(throws: IDXError(source: "lbls.idx", reason: "bad magic 0x00000901, expected 0x00000801 (MNIST labels: unsigned byte, 1 dimension); data type 0x09 is not 0x08 (unsigned byte)")) {
            try decode(images: IDXBytes.images(count: 1), labels: IDXBytes.header(magic: 0x0901, dimensions: [1]) + [1])
        }
    }

    @Test func rejectsGarbageMagic() {
        #expect(throws: IDXError(source: "imgs.idx", reason: "bad magic 0x89504E47, expected 0x00000803 (MNIST images: unsigned byte, 3 dimensions)")) {
            try decode(images: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A], labels: IDXBytes.labels([1]))
        }
    }

    @Test func rejectsImagesThatAreNot28By28() {
        #expect(throws: IDXError(source: "imgs.idx", reason: "images are 28×27, expected 28×28")) {
            try decode(images: IDXBytes.images(count: 1, columns: 27), labels: IDXBytes.labels([1]))
        }
    }

    @Test func rejectsCountMismatch() {
        #expect(throws: IDXError(source: "lbls.idx", reason: "3 labels, but imgs.idx has 2 images")) {
            try decode(images: IDXBytes.images(count: 2), labels: IDXBytes.labels([1, 2, 3]))
        }
    }

    @Test func rejectsAnEmptySet() {
        #expect(throws: IDXError(source: "imgs.idx", reason: "contains no images (the header's count is 0)")) {
            try decode(images: IDXBytes.images(count: 0), labels: IDXBytes.labels([]))
        }
    }

    @Test func rejectsLabelsAboveNine() {
        #expect(throws: IDXError(source: "lbls.idx", reason: "label 10 at index 2 is outside 0…9")) {
            try decode(images: IDXBytes.images(count: 4), labels: IDXBytes.labels([9, 0, 10, 11]))
        }
    }

    @Test func rejectsTruncatedImages() {
        #expect(throws: IDXError(source: "imgs.idx", reason: "truncated: expected 1584 bytes (16-byte header + 2×28×28 elements), found 1583")) {
            try decode(images: Array(IDXBytes.images(count: 2).dropLast()), labels: IDXBytes.labels([1, 2]))
        }
    }

    @Test func explainsAMissingTrainingSet() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
            try FileManager.default.copyItem(at: TestPaths.committedMNIST.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        #expect(throws: DataDirectory.MissingFileError(fileName: "train-images-idx3-ubyte.gz", directory: directory, split: .train)) {
            try MNISTDataset.load(.train, from: directory)
        }
        let message = "\(DataDirectory.MissingFileError(fileName: "train-images-idx3-ubyte.gz", directory: directory, split: .train))"
        #expect(message == "train-images-idx3-ubyte.gz not found in \(directory.standardizedFileURL.path) (only the t10k test set is there); run `digits data fetch` or pass --data DIR / set DIGITS_DATA")
    }

    @Test func theRepositoryMessageSaysOnlyTheTestSetIsShipped() {
        let error = DataDirectory.MissingFileError(fileName: "train-images-idx3-ubyte.gz", directory: TestPaths.committedMNIST, split: .train)
        #expect("\(error)".hasSuffix("Data/mnist (the repo ships only the test set); run `digits data fetch` or pass --data DIR / set DIGITS_DATA"))
        #expect("\(error)".hasPrefix("train-images-idx3-ubyte.gz not found in "))
    }
}
