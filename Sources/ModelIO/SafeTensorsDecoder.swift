/// Validates and splits a safetensors buffer. Enforces everything the reference implementation checks, plus
/// duplicate JSON keys, exact entry fields, space-only header padding and non-empty tensor names.
struct SafeTensorsDecoder {
    /// The reference implementation's header limit (MAX_HEADER_SIZE).
    static let maximumHeaderLength = 100_000_000

    let bytes: [UInt8]
    let source: String

    private func fail(_ reason: String) -> SafeTensorsError { SafeTensorsError(source: source, reason: reason) }

    private struct Entry {
        var name: String
        var dtype: SafeTensorsDType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    func decode() throws(SafeTensorsError) -> SafeTensorsFile {
        guard bytes.count >= 8 else {
            throw fail("file is \(bytes.count) bytes, shorter than the 8-byte header length field")
        }
        let declaredLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard declaredLength > 0 else { throw fail("header length is 0; expected a JSON object") }
        guard declaredLength <= UInt64(Self.maximumHeaderLength) else {
            throw fail("header length \(declaredLength) exceeds the limit of \(Self.maximumHeaderLength) bytes")
        }
        let headerLength = Int(declaredLength)
        guard headerLength <= bytes.count - 8 else {
            throw fail("header length \(headerLength) extends past the end of the file (header would end at byte \(8 + headerLength), file is \(bytes.count) bytes)")
        }
        let header = Array(bytes[8..<(8 + headerLength)])
        if let bad = firstInvalidUTF8(header) {
            throw fail("header is not valid UTF-8 at byte \(8 + bad)")
        }
        guard header[0] == UInt8(ascii: "{") else {
            throw fail("header must start with '{', found \(describeByte(header[0])) at byte 8")
        }
        let parsed: (value: JSONValue, end: Int)
        do {
            parsed = try StrictJSONParser.parseValue(header)
        } catch {
            switch error.kind {
            case .syntax(let message): throw fail("header is not valid JSON: \(message) at byte \(8 + error.offset)")
            case .duplicateKey(let key): throw fail("header has duplicate key \(jsonQuoted(key)) at byte \(8 + error.offset)")
            }
        }
        if let padding = header[parsed.end...].firstIndex(where: { $0 != 0x20 }) {
            throw fail("header padding after the JSON object must be spaces, found \(describeByte(header[padding])) at byte \(8 + padding)")
        }
        guard case .object(let members) = parsed.value else { throw fail("header is not a JSON object") }

        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for member in members {
            if member.key == "__metadata__" {
                metadata = try decodeMetadata(member.value)
            } else {
                entries.append(try decodeEntry(member, dataSize: dataSize))
            }
        }
        try checkLayout(entries, dataStart: dataStart, dataSize: dataSize)
        let tensors = entries.map { entry in
            (name: entry.name,
             tensor: RawTensor(dtype: entry.dtype, shape: entry.shape,
                               bytes: Array(bytes[(dataStart + entry.begin)..<(dataStart + entry.end)])))
        }
        return SafeTensorsFile(tensors: tensors, metadata: metadata)
    }

    private func decodeMetadata(_ value: JSONValue) throws(SafeTensorsError) -> [String: String] {
        guard case .object(let members) = value else {
            throw fail("'__metadata__' must be an object of string values, found \(value.kindName)")
        }
        var metadata: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else {
                throw fail("'__metadata__' entry \(jsonQuoted(member.key)) must be a string, found \(member.value.kindName)")
            }
            metadata[member.key] = text
        }
        return metadata
    }

    private func decodeEntry(_ member: JSONMember, dataSize: Int) throws(SafeTensorsError) -> Entry {
        let name = member.key
        guard !name.isEmpty else { throw fail("tensor name at byte \(8 + member.offset) is empty") }
        let label = "tensor \(jsonQuoted(name))"
        guard case .object(let fields) = member.value else {
            throw fail("\(label): entry must be an object with dtype, shape and data_offsets, found \(member.value.kindName)")
        }
        let expected = ["dtype", "shape", "data_offsets"]
        for field in fields where !expected.contains(field.key) {
            throw fail("\(label): unexpected field \(jsonQuoted(field.key)); expected exactly dtype, shape, data_offsets")
        }
        func field(_ key: String) throws(SafeTensorsError) -> JSONValue {
            guard let value = fields.first(where: { $0.key == key })?.value else {
                throw fail("\(label): missing field '\(key)'")
            }
            return value
        }

        guard case .string(let dtypeName) = try field("dtype") else {
            throw fail("\(label): dtype must be a string, found \(try field("dtype").kindName)")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw fail("\(label): unknown dtype \(jsonQuoted(dtypeName)); known dtypes: \(SafeTensorsDType.knownNames)")
        }

        guard case .array(let dimValues) = try field("shape") else {
            throw fail("\(label): shape must be an array of non-negative integers, found \(try field("shape").kindName)")
        }
        var shape: [Int] = []
        for (axis, value) in dimValues.enumerated() {
            shape.append(try nonNegativeInteger(value, what: "\(label): shape dimension \(axis)"))
        }
        var byteCount = dtype.size
        for dim in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw fail("\(label): shape \(shapeText(shape)) has too many elements (byte size overflows)") }
            byteCount = product
        }

        guard case .array(let offsetValues) = try field("data_offsets") else {
            throw fail("\(label): data_offsets must be [begin, end], found \(try field("data_offsets").kindName)")
        }
        guard offsetValues.count == 2 else {
            throw fail("\(label): data_offsets must be [begin, end], found \(offsetValues.count) elements")
        }
        let begin = try nonNegativeInteger(offsetValues[0], what: "\(label): data_offsets begin")
        let end = try nonNegativeInteger(offsetValues[1], what: "\(label): data_offsets end")
        guard begin <= end else { throw fail("\(label): data_offsets [\(begin), \(end)] begin is after end") }
        guard end - begin == byteCount else {
            throw fail("\(label): data_offsets [\(begin), \(end)] hold \(end - begin) bytes, but \(dtype.rawValue) \(shapeText(shape)) needs \(byteCount) bytes")
        }
        guard end <= dataSize else {
            throw fail("\(label): data_offsets [\(begin), \(end)] extend past the end of the data section (\(dataSize) bytes; file truncated?)")
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    private func nonNegativeInteger(_ value: JSONValue, what: String) throws(SafeTensorsError) -> Int {
        guard case .number(let lexeme) = value else {
            throw fail("\(what) must be a non-negative integer, found \(value.kindName)")
        }
        guard !lexeme.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else {
            throw fail("\(what) must be a non-negative integer, found \(lexeme)")
        }
        guard !lexeme.hasPrefix("-") || lexeme == "-0" else {
            throw fail("\(what) is \(lexeme); must be a non-negative integer")
        }
        guard let integer = Int(lexeme) else { throw fail("\(what) is \(lexeme), too large") }
        return integer
    }

    /// The reference demands that tensors tile the data section exactly; so do we, reporting which tensors clash.
    private func checkLayout(_ entries: [Entry], dataStart: Int, dataSize: Int) throws(SafeTensorsError) {
        let ordered = entries.enumerated().sorted { ($0.element.begin, $0.element.end, $0.offset) < ($1.element.begin, $1.element.end, $1.offset) }
        var covered = 0
        var previous: Entry?
        for (_, entry) in ordered {
            if entry.begin > covered {
                throw fail("gap of \(entry.begin - covered) bytes in the data section before tensor \(jsonQuoted(entry.name)): data bytes \(covered)..<\(entry.begin) (file bytes \(dataStart + covered)..<\(dataStart + entry.begin)) belong to no tensor")
            }
            if entry.begin < covered, let previous {
                throw fail("tensor \(jsonQuoted(entry.name)) data_offsets [\(entry.begin), \(entry.end)] overlap tensor \(jsonQuoted(previous.name)) data_offsets [\(previous.begin), \(previous.end)]")
            }
            covered = entry.end
            previous = entry
        }
        if covered < dataSize {
            throw fail("\(dataSize - covered) trailing bytes after the last tensor (file bytes \(dataStart + covered)..<\(dataStart + dataSize))")
        }
    }
}

func describeByte(_ byte: UInt8) -> String {
    let hex = "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))' (\(hex))" }
    return hex
}

/// Offset of the first byte that is not part of a well-formed UTF-8 sequence (no overlongs, surrogates or
/// code points above U+10FFFF), or nil when the whole buffer is valid.
func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var index = 0
    while index < bytes.count {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F: index += 1; continue
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return index
        }
        for continuation in 1..<length {
            guard index + continuation < bytes.count else { return index }
            let byte = bytes[index + continuation]
            let (lo, hi) = continuation == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= lo && byte <= hi else { return index }
        }
        index += length
    }
    return nil
}
