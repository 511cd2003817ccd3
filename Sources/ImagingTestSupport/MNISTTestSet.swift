import CZlib
import Foundation

/// The committed MNIST t10k set (Data/mnist), read once. Tests use its digits as realistic handwriting.
/// (Its own small gzip/IDX reader keeps this target independent of ModelIO's dataset code.)
public struct MNISTTestSet: Sendable {
    public let images: [[UInt8]]
    public let labels: [Int]

    public static let shared: Result<MNISTTestSet, MNISTLoadError> = Result { () throws(MNISTLoadError) in try load() }

    public static func get() throws -> MNISTTestSet { try shared.get() }

    public struct MNISTLoadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func load() throws(MNISTLoadError) -> MNISTTestSet {
        let directory = repositoryRoot.appendingPathComponent("Data/mnist")
        let images = try gunzip(directory.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        let labels = try gunzip(directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        guard images.count == 16 + 10_000 * 784, labels.count == 8 + 10_000 else {
            throw MNISTLoadError(description: "unexpected t10k sizes \(images.count), \(labels.count)")
        }
        return MNISTTestSet(
            images: (0..<10_000).map { Array(images[16 + $0 * 784..<16 + ($0 + 1) * 784]) },
            labels: labels[8...].map { Int($0) }
        )
    }

    private static func gunzip(_ url: URL) throws(MNISTLoadError) -> [UInt8] {
        guard let data = try? Data(contentsOf: url) else { throw MNISTLoadError(description: "cannot read \(url.path)") }
        let input = [UInt8](data)
        var output: [UInt8] = []
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw MNISTLoadError(description: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while status == Z_OK {
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output += buffer.prefix(buffer.count - Int(stream.avail_out))
                }
            }
        }
        guard status == Z_STREAM_END else { throw MNISTLoadError(description: "\(url.lastPathComponent): gzip error \(status)") }
        return output
    }
}
