import Foundation

/// One array from an IDX file (the MNIST distribution format): a big-endian header, then the elements.
public struct IDXArray: Sendable, Equatable {
    /// The header's data type code; only 0x08 (unsigned byte) is supported.
    public var typeCode: UInt8
    public var dimensions: [Int]
    public var elements: [UInt8]

    /// The 32-bit magic number as written in the file: 0x0000, type code, dimension count.
    public var magic: UInt32 { UInt32(typeCode) << 8 | UInt32(dimensions.count) }
}

public struct IDXError: Error, CustomStringConvertible, Sendable, Equatable {
    public var source: String
    public var reason: String
    public var description: String { "\(source): \(reason)" }
}

public enum IDXFile {
    public static let unsignedByteType: UInt8 = 0x08

    /// Reads an IDX file, inflating it first when its name ends in `.gz`. `limit` bounds the inflated size.
    public static func read(path: String, limit: Int = 1 << 30) throws -> IDXArray {
        try decode(try readBytes(path: path, limit: limit), source: path)
    }

    /// The file's bytes, inflated when its name ends in `.gz`; both the file and the inflated bytes are bounded
    /// by `limit`, so a wrong path is an error rather than exhausted memory.
    static func readBytes(path: String, limit: Int) throws -> [UInt8] {
        let data: Data
        do {
            data = try BoundedFileRead.data(path: path, limit: limit)
        } catch let error as BoundedFileRead.TooLargeError {
            throw IDXError(source: path, reason: "too large: \(error.size) bytes, the limit is \(limit)")
        } catch {
            throw IDXError(source: path, reason: "cannot read: \(FileError.reason(error))")
        }
        return path.hasSuffix(".gz") ? try Gzip.decompress(data, source: path, limit: limit) : [UInt8](data)
    }

    public static func decode(_ bytes: [UInt8], source: String) throws(IDXError) -> IDXArray {
        func failure(_ reason: String) -> IDXError { IDXError(source: source, reason: reason) }
        guard bytes.count >= 4 else {
            throw failure("truncated IDX header: expected at least 4 bytes, found \(bytes.count)")
        }
        let magic = readUInt32(bytes, at: 0)
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw failure("bad IDX magic \(hex(magic)): the first two bytes must be zero")
        }
        let typeCode = bytes[2]
        guard typeCode == unsignedByteType else {
            throw failure("unsupported IDX data type \(hex(typeCode)) (\(typeName(typeCode))) in magic \(hex(magic)); only 0x08 (unsigned byte) is supported")
        }
        let rank = Int(bytes[3])
        guard rank >= 1 else {
            throw failure("IDX magic \(hex(magic)) declares 0 dimensions; expected at least 1")
        }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw failure("truncated IDX header: \(rank) dimensions need \(headerSize) bytes, found \(bytes.count)")
        }
        var dimensions: [Int] = []
        var elementCount = 1
        for axis in 0..<rank {
            let size = Int(readUInt32(bytes, at: 4 + 4 * axis))
            dimensions.append(size)
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw failure("IDX dimensions \(dimensions.map(String.init).joined(separator: "×"))… are too large to address")
            }
            elementCount = product
        }
        let (expected, overflow) = headerSize.addingReportingOverflow(elementCount)
        let shape = dimensions.map(String.init).joined(separator: "×")
        guard !overflow else { throw failure("IDX dimensions \(shape) are too large to address") }
        guard bytes.count >= expected else {
            throw failure("truncated: expected \(expected) bytes (\(headerSize)-byte header + \(shape) elements), found \(bytes.count)")
        }
        guard bytes.count == expected else {
            throw failure("\(bytes.count - expected) trailing bytes: expected \(expected) bytes (\(headerSize)-byte header + \(shape) elements), found \(bytes.count)")
        }
        return IDXArray(typeCode: typeCode, dimensions: dimensions, elements: Array(bytes[headerSize...]))
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    static func hex(_ value: UInt32) -> String { "0x" + String(format: "%08X", value) }
    static func hex(_ value: UInt8) -> String { "0x" + String(format: "%02X", value) }

    private static func typeName(_ code: UInt8) -> String {
        switch code {
        case 0x08: "unsigned byte"
        case 0x09: "signed byte"
        case 0x0B: "int16"
        case 0x0C: "int32"
        case 0x0D: "float32"
        case 0x0E: "float64"
        default: "not an IDX type"
        }
    }
}
