/// The four files of the MNIST distribution and the checksums that identify genuine copies.
public struct MNISTFile: Sendable, Hashable {
    /// The IDX name without `.gz`, e.g. `train-images-idx3-ubyte`.
    public let name: String
    /// Known SHA-256 sums of `<name>.gz`. Mirrors may re-wrap the same bytes in different gzip headers, so
    /// a `.gz` outside this list is still accepted when it inflates to `idxSHA256`.
    public let gzipSHA256: Set<String>
    /// SHA-256 of the uncompressed IDX bytes: the identity of the data itself.
    public let idxSHA256: String
    public let idxByteCount: Int

    public var gzipName: String { name + ".gz" }

    public static let trainImages = MNISTFile(
        name: "train-images-idx3-ubyte",
        gzipSHA256: [
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",  // original LeCun / ossci / cvdf
            "0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971",  // re-gzipped without a timestamp
        ],
        idxSHA256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        idxByteCount: 47_040_016)

    public static let trainLabels = MNISTFile(
        name: "train-labels-idx1-ubyte",
        gzipSHA256: [
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203",
        ],
        idxSHA256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        idxByteCount: 60_008)

    public static let testImages = MNISTFile(
        name: "t10k-images-idx3-ubyte",
        gzipSHA256: [
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be",
        ],
        idxSHA256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        idxByteCount: 7_840_016)

    public static let testLabels = MNISTFile(
        name: "t10k-labels-idx1-ubyte",
        gzipSHA256: [
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            "b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b",
        ],
        idxSHA256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        idxByteCount: 10_008)

    public static let all: [MNISTFile] = [trainImages, trainLabels, testImages, testLabels]

    public static func named(_ name: String) -> MNISTFile? {
        all.first { $0.name == name || $0.gzipName == name }
    }

    /// How a `.gz` file's bytes were recognised as genuine.
    public enum Verification: Sendable, Equatable {
        case knownGzip(sha256: String)
        /// The wrapper is unfamiliar but the content is right.
        case knownContent(gzipSHA256: String)
    }

    public struct ChecksumMismatch: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
    }

    /// Checks a `.gz` file's bytes: a known wrapper sum, else the inflated bytes' sum.
    /// `origin` names where the bytes came from (a URL or a path) for the error message.
    public func verify(gzip bytes: [UInt8], origin: String) throws -> Verification {
        let gzipSum = SHA256.hex(bytes)
        if gzipSHA256.contains(gzipSum) { return .knownGzip(sha256: gzipSum) }
        let expected = gzipSHA256.sorted().joined(separator: " or ")
        let inflated: [UInt8]
        do {
            inflated = try Gzip.decompress(bytes, source: gzipName, limit: idxByteCount)
        } catch {
            throw ChecksumMismatch(description: "sha256 mismatch for \(gzipName) from \(origin): expected \(expected), got \(gzipSum) (and it does not inflate: \(error.reason))")
        }
        let idxSum = SHA256.hex(inflated)
        guard idxSum == idxSHA256 else {
            throw ChecksumMismatch(description: "sha256 mismatch for \(gzipName) from \(origin): expected \(expected), got \(gzipSum) (inflated IDX: expected \(idxSHA256), got \(idxSum))")
        }
        return .knownContent(gzipSHA256: gzipSum)
    }
}
