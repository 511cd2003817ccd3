import Foundation

/// One tensor as stored: element type, shape and the raw little-endian bytes.
public struct RawTensor: Sendable, Equatable {
    public var dtype: SafeTensorsDType
    public var shape: [Int]
    /// Little-endian, row-major; `elementCount * dtype.size` bytes in a valid tensor.
    public var bytes: [UInt8]

    public init(dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) {
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Product of the shape (1 for a scalar `[]`); callers validated the shape against overflow.
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A safetensors file in memory: tensors in stored order plus the free-form `__metadata__` strings.
/// Format: u64 little-endian header length N, N bytes of JSON header, then the data section.
/// See docs/weights.md for every rule `decode` enforces.
public struct SafeTensorsFile: Sendable {
    public var tensors: [(name: String, tensor: RawTensor)]
    public var metadata: [String: String]

    public init(tensors: [(name: String, tensor: RawTensor)] = [], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public subscript(name: String) -> RawTensor? {
        tensors.first { $0.name == name }?.tensor
    }

    public var names: [String] { tensors.map(\.name) }

    public static func decode(_ data: Data, source: String) throws(SafeTensorsError) -> SafeTensorsFile {
        try SafeTensorsDecoder(bytes: [UInt8](data), source: source).decode()
    }

    public static func decode(_ bytes: [UInt8], source: String) throws(SafeTensorsError) -> SafeTensorsFile {
        try SafeTensorsDecoder(bytes: bytes, source: source).decode()
    }

    public static func read(path: String) throws(SafeTensorsError) -> SafeTensorsFile {
        try decode(try readFileBytes(path: path), source: path)
    }

    /// Writes through AtomicFile after checking the tensors can form a valid file.
    public func write(to path: String) throws(SafeTensorsError) {
        try checkEncodable(source: path)
        do {
            try AtomicFile.write(encoded(), to: path)
        } catch {
            throw SafeTensorsError(source: path, reason: "cannot write: \(error.reason)")
        }
    }
}

/// Far above any digits model; stops `--weights /dev/zero` (or a mistaken huge file) before it eats all memory.
let maximumSafeTensorsFileSize = 1 << 30

/// Reads a whole file with POSIX calls so failures carry the system's reason (ENOENT, EISDIR, ...).
func readFileBytes(path: String, limit: Int = maximumSafeTensorsFileSize) throws(SafeTensorsError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
        throw SafeTensorsError(source: path, reason: "cannot read: \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw SafeTensorsError(source: path, reason: "cannot read: \(String(cString: strerror(errno)))")
        }
        if count == 0 { return bytes }
        guard count <= limit - bytes.count else {
            throw SafeTensorsError(source: path, reason: "file is larger than the limit of \(limit) bytes; not a weights file?")
        }
        bytes.append(contentsOf: chunk[0..<count])
    }
}
