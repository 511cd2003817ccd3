import Foundation

extension SafeTensorsFile {
    /// The file bytes, laid out exactly like the Python `safetensors` package (0.8) writes them, so files it
    /// produces and ours are interchangeable byte for byte:
    /// - tensors ordered by dtype, largest alignment first (its Dtype order: U64, I64, F64, C64, F32, ..., BOOL),
    ///   then by name compared as UTF-8 bytes; each tensor then starts at a multiple of its element size;
    /// - compact JSON header, `__metadata__` first (omitted when empty), entry fields in the order
    ///   dtype, shape, data_offsets, strings escaped like serde_json;
    /// - header padded with spaces to a multiple of 8 bytes.
    /// One deliberate difference: metadata keys are sorted (Python emits them in hash-map order), so the output
    /// is deterministic. Call `write(to:)` to have the tensors checked first; this assumes they are valid.
    public func encoded() -> Data {
        let ordered = tensors.sorted { left, right in
            if left.tensor.dtype != right.tensor.dtype {
                return left.tensor.dtype.layoutRank > right.tensor.dtype.layoutRank
            }
            return left.name.utf8.lexicographicallyPrecedes(right.name.utf8)
        }
        var fields: [String] = []
        if !metadata.isEmpty {
            let keys = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let pairs = keys.map { jsonQuoted($0) + ":" + jsonQuoted(metadata[$0] ?? "") }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in ordered {
            let end = offset + tensor.bytes.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append(jsonQuoted(name) + ":{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        header.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8))

        var data = Data(capacity: 8 + header.count + offset)
        let length = UInt64(header.count)
        data.append(contentsOf: (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) })
        data.append(contentsOf: header)
        for (_, tensor) in ordered { data.append(contentsOf: tensor.bytes) }
        return data
    }

    /// Rejects what would make `encoded()` produce a file `decode` refuses.
    func checkEncodable(source: String) throws(SafeTensorsError) {
        var seen = Set<String>()
        for (name, tensor) in tensors {
            guard !name.isEmpty else { throw SafeTensorsError(source: source, reason: "cannot write a tensor with an empty name") }
            guard name != "__metadata__" else {
                throw SafeTensorsError(source: source, reason: "'__metadata__' is reserved and cannot name a tensor")
            }
            guard seen.insert(name).inserted else {
                throw SafeTensorsError(source: source, reason: "two tensors are named \(jsonQuoted(name))")
            }
            var expected = tensor.dtype.size
            for dim in tensor.shape {
                let (product, overflow) = expected.multipliedReportingOverflow(by: dim)
                guard dim >= 0, !overflow else {
                    throw SafeTensorsError(source: source, reason: "tensor \(jsonQuoted(name)) has invalid shape \(shapeText(tensor.shape))")
                }
                expected = product
            }
            guard tensor.bytes.count == expected else {
                throw SafeTensorsError(source: source, reason: "tensor \(jsonQuoted(name)) has \(tensor.bytes.count) bytes, but \(tensor.dtype.rawValue) \(shapeText(tensor.shape)) needs \(expected)")
            }
        }
    }
}
