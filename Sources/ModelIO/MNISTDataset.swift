import Foundation

public enum MNISTSplit: String, Sendable, CaseIterable {
    case train, test

    /// The prefix of the split's file names in the MNIST distribution.
    public var fileStem: String {
        switch self {
        case .train: "train"
        case .test: "t10k"
        }
    }

    public var imagesFileName: String { "\(fileStem)-images-idx3-ubyte" }
    public var labelsFileName: String { "\(fileStem)-labels-idx1-ubyte" }
}

/// MNIST images (uint8, 0 = background) with their labels 0…9, as stored in the IDX files.
public struct MNISTDataset: Sendable, Equatable {
    /// `count × rows × columns` pixels, row-major.
    public let images: [UInt8]
    public let labels: [UInt8]
    public let count: Int
    public let rows: Int
    public let columns: Int

    public static let imageSide = 28
    public static let classCount = 10

    public var pixelsPerImage: Int { rows * columns }

    public struct ShapeError: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
    }

    /// Builds a dataset in memory (synthetic or transformed data); checks that the sizes agree.
    public init(images: [UInt8], labels: [UInt8], rows: Int, columns: Int) throws(ShapeError) {
        let (perImage, overflowPerImage) = rows.multipliedReportingOverflow(by: columns)
        let (pixels, overflow) = labels.count.multipliedReportingOverflow(by: perImage)
        guard rows > 0, columns > 0, !overflowPerImage, !overflow, images.count == pixels else {
            throw ShapeError(description: "MNISTDataset: \(images.count) pixels for \(labels.count) images of \(rows)×\(columns)")
        }
        if let bad = labels.firstIndex(where: { $0 >= Self.classCount }) {
            throw ShapeError(description: "MNISTDataset: label \(labels[bad]) at index \(bad) is outside 0…9")
        }
        self.init(validated: images, labels: labels, rows: rows, columns: columns)
    }

    /// Callers pass sizes that agree: `decode` and `subset` check before building one.
    init(validated images: [UInt8], labels: [UInt8], rows: Int, columns: Int) {
        self.images = images
        self.labels = labels
        self.count = labels.count
        self.rows = rows
        self.columns = columns
    }

    public func image(_ index: Int) -> ArraySlice<UInt8> {
        let size = pixelsPerImage
        return images[(index * size)..<((index + 1) * size)]
    }

    public func subset(_ range: Range<Int>) -> MNISTDataset {
        let size = pixelsPerImage
        return MNISTDataset(
            validated: Array(images[(range.lowerBound * size)..<(range.upperBound * size)]),
            labels: Array(labels[range]), rows: rows, columns: columns)
    }

    public func subset(_ indices: some Sequence<Int>) -> MNISTDataset {
        var pickedImages: [UInt8] = []
        var pickedLabels: [UInt8] = []
        for index in indices {
            pickedImages.append(contentsOf: image(index))
            pickedLabels.append(labels[index])
        }
        return MNISTDataset(validated: pickedImages, labels: pickedLabels, rows: rows, columns: columns)
    }

    /// How many examples carry each label 0…9.
    public var labelCounts: [Int] {
        var counts = [Int](repeating: 0, count: Self.classCount)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }

    /// Reads `<stem>-images-idx3-ubyte[.gz]` and `<stem>-labels-idx1-ubyte[.gz]` from `directory`,
    /// preferring the `.gz` file when both forms are present.
    public static func load(_ split: MNISTSplit, from directory: URL) throws -> MNISTDataset {
        let imagesPath = try locate(split.imagesFileName, split: split, in: directory)
        let labelsPath = try locate(split.labelsFileName, split: split, in: directory)
        return try decode(
            images: try IDXFile.readBytes(path: imagesPath, limit: imagesLimit), imagesSource: imagesPath,
            labels: try IDXFile.readBytes(path: labelsPath, limit: labelsLimit), labelsSource: labelsPath)
    }

    /// Resolves the data directory (`--data`, `$DIGITS_DATA`, the repo's Data/mnist) and loads `split`.
    public static func load(_ split: MNISTSplit, dataDirectory explicit: String?) throws -> MNISTDataset {
        try load(split, from: DataDirectory.resolve(explicit: explicit))
    }

    /// Validates both files' headers against each other and the MNIST layout.
    public static func decode(images imageBytes: [UInt8], imagesSource: String,
                              labels labelBytes: [UInt8], labelsSource: String) throws -> MNISTDataset {
        try checkMagic(imageBytes, rank: 3, kind: "images", source: imagesSource)
        try checkMagic(labelBytes, rank: 1, kind: "labels", source: labelsSource)
        let images = try IDXFile.decode(imageBytes, source: imagesSource)
        let labels = try IDXFile.decode(labelBytes, source: labelsSource)
        let imageCount = images.dimensions[0], rows = images.dimensions[1], columns = images.dimensions[2]
        guard rows == imageSide, columns == imageSide else {
            throw IDXError(source: imagesSource, reason: "images are \(rows)×\(columns), expected \(imageSide)×\(imageSide)")
        }
        guard imageCount > 0 else {
            throw IDXError(source: imagesSource, reason: "contains no images (the header's count is 0)")
        }
        guard labels.dimensions[0] == imageCount else {
            throw IDXError(source: labelsSource, reason: "\(labels.dimensions[0]) labels, but \(imagesSource) has \(imageCount) images")
        }
        if let bad = labels.elements.firstIndex(where: { $0 >= classCount }) {
            throw IDXError(source: labelsSource, reason: "label \(labels.elements[bad]) at index \(bad) is outside 0…9")
        }
        return MNISTDataset(validated: images.elements, labels: labels.elements, rows: rows, columns: columns)
    }

    // 60,000 28×28 images plus header is 47,040,016 bytes; the limits leave room without allowing a gzip bomb.
    static let imagesLimit = 64 << 20
    static let labelsLimit = 1 << 20

    private static func checkMagic(_ bytes: [UInt8], rank: UInt8, kind: String, source: String) throws {
        let expected = UInt32(IDXFile.unsignedByteType) << 8 | UInt32(rank)
        guard bytes.count >= 4 else {
            throw IDXError(source: source, reason: "truncated IDX header: expected at least 4 bytes, found \(bytes.count)")
        }
        let found = IDXFile.readUInt32(bytes, at: 0)
        guard found != expected else { return }
        var detail = "expected \(IDXFile.hex(expected)) (MNIST \(kind): unsigned byte, \(rank) dimension\(rank == 1 ? "" : "s"))"
        if bytes[0] == 0, bytes[1] == 0 {
            if bytes[2] != IDXFile.unsignedByteType {
                detail += "; data type \(IDXFile.hex(bytes[2])) is not 0x08 (unsigned byte)"
            } else {
                detail += "; found \(bytes[3]) dimensions"
            }
        }
        throw IDXError(source: source, reason: "bad magic \(IDXFile.hex(found)), \(detail)")
    }

    private static func locate(_ name: String, split: MNISTSplit, in directory: URL) throws -> String {
        let gzip = directory.appendingPathComponent(name + ".gz").path
        if FileManager.default.isReadableFile(atPath: gzip) { return gzip }
        let raw = directory.appendingPathComponent(name).path
        if FileManager.default.isReadableFile(atPath: raw) { return raw }
        throw DataDirectory.MissingFileError(fileName: name + ".gz", directory: directory, split: split)
    }
}
