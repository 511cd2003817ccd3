import Foundation

/// Named float32 weights: what interpreters and training consume. Loaded from safetensors, where
/// F32 is taken as is, F16 and BF16 are widened exactly (HalfPrecision), and PyTorch's batchnorm step counters
/// (I64 `*.num_batches_tracked`) are dropped. Tensors of any other dtype are kept aside in `unsupportedTensors`
/// so `validate(against:)` can report them with everything else. NaN and ±Inf are rejected on load and save.
public struct WeightSet: Sendable {
    /// A tensor the file holds in a dtype that cannot be float weights.
    public struct UnsupportedTensor: Sendable, Equatable {
        public var dtype: SafeTensorsDType
        public var shape: [Int]
    }

    public var tensors: [String: Tensor]
    public var metadata: [String: String]
    public var unsupportedTensors: [String: UnsupportedTensor]
    /// Names of tensors dropped on load (`num_batches_tracked`), for reporting.
    public var ignoredTensors: [String]
    /// The file the weights came from, for messages.
    public var source: String

    public init(tensors: [String: Tensor], metadata: [String: String] = [:], source: String = "<weights>") {
        self.tensors = tensors
        self.metadata = metadata
        self.unsupportedTensors = [:]
        self.ignoredTensors = []
        self.source = source
    }

    public subscript(name: String) -> Tensor? { tensors[name] }

    public static func load(path: String) throws(SafeTensorsError) -> WeightSet {
        try WeightSet(file: SafeTensorsFile.read(path: path), source: path)
    }

    public init(file: SafeTensorsFile, source: String) throws(SafeTensorsError) {
        self.init(tensors: [:], metadata: file.metadata, source: source)
        for (name, raw) in file.tensors {
            let scalars: [Float]
            switch raw.dtype {
            case .f32: scalars = Self.f32Scalars(raw.bytes)
            case .f16: scalars = Self.widen(raw.bytes, width: 2) { HalfPrecision.float(fromF16: UInt16(truncatingIfNeeded: $0)) }
            case .bf16: scalars = Self.widen(raw.bytes, width: 2) { HalfPrecision.float(fromBF16: UInt16(truncatingIfNeeded: $0)) }
            case .i64 where name.hasSuffix(".num_batches_tracked") || name == "num_batches_tracked":
                ignoredTensors.append(name)
                continue
            default:
                unsupportedTensors[name] = UnsupportedTensor(dtype: raw.dtype, shape: raw.shape)
                continue
            }
            try Self.checkFinite(name: name, shape: raw.shape, scalars: scalars, source: source)
            tensors[name] = Tensor(shape: raw.shape, scalars: scalars)
        }
    }

    /// On little-endian hosts the file bytes already are the Float memory layout: one copy, no per-element work.
    private static func f32Scalars(_ bytes: [UInt8]) -> [Float] {
        #if _endian(little)
        return [Float](unsafeUninitializedCapacity: bytes.count / 4) { buffer, count in
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<(bytes.count / 4 * 4)]))
            }
            count = bytes.count / 4
        }
        #else
        return widen(bytes, width: 4) { Float(bitPattern: $0) }
        #endif
    }

    /// Little-endian words of `width` bytes, each converted by `convert`.
    private static func widen(_ bytes: [UInt8], width: Int, _ convert: (UInt32) -> Float) -> [Float] {
        let count = bytes.count / width
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { index in
                let word: UInt32 = width == 4
                    ? UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                    : UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)))
                return convert(word)
            }
        }
    }

    static func checkFinite(name: String, shape: [Int], scalars: [Float], source: String) throws(SafeTensorsError) {
        guard let index = scalars.firstIndex(where: { !$0.isFinite }) else { return }
        let value = scalars[index]
        let what = value.isNaN ? "NaN" : (value < 0 ? "-Inf" : "+Inf")
        throw SafeTensorsError(source: source, reason: "tensor \(jsonQuoted(name)) element \(index) (index \(shapeText(multiIndex(index, shape: shape)))) is \(what); weights must be finite")
    }

    /// Row-major coordinates of a flat element index.
    static func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }

    /// The weights as an all-F32 safetensors file; fails on NaN/Inf or a tensor whose scalars don't fit its shape.
    public func safeTensorsFile(source: String) throws(SafeTensorsError) -> SafeTensorsFile {
        var file = SafeTensorsFile(metadata: metadata)
        for name in tensors.keys.sorted() {
            guard let tensor = tensors[name] else { continue }
            var expected = 1
            for dim in tensor.shape {
                let (product, overflow) = expected.multipliedReportingOverflow(by: dim)
                guard dim >= 0, !overflow else {
                    throw SafeTensorsError(source: source, reason: "tensor \(jsonQuoted(name)) has invalid shape \(shapeText(tensor.shape))")
                }
                expected = product
            }
            guard tensor.scalars.count == expected else {
                throw SafeTensorsError(source: source, reason: "tensor \(jsonQuoted(name)) has \(tensor.scalars.count) scalars for shape \(shapeText(tensor.shape))")
            }
            try Self.checkFinite(name: name, shape: tensor.shape, scalars: tensor.scalars, source: source)
            #if _endian(little)
            let bytes = tensor.scalars.withUnsafeBytes { Array($0) }
            #else
            let bytes = tensor.scalars.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32($0))) } }
            #endif
            file.tensors.append((name: name, tensor: RawTensor(dtype: .f32, shape: tensor.shape, bytes: bytes)))
        }
        return file
    }

    /// Writes every tensor as F32 (atomically, via AtomicFile). Unsupported and ignored tensors are not written.
    public func save(to path: String) throws(SafeTensorsError) {
        try safeTensorsFile(source: path).write(to: path)
    }
}
