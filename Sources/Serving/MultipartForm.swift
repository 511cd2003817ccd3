/// The one thing the API needs from `multipart/form-data` (RFC 7578): the content of a named field.
enum MultipartForm {
    /// The boundary parameter of a `multipart/form-data` Content-Type, unquoted.
    static func boundary(fromContentType contentType: String) throws(APIError) -> String {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2,
                  pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard !value.isEmpty, value.utf8.count <= 70 else { break }
            return value
        }
        throw APIError(.badRequest, "multipart/form-data without a usable boundary parameter in Content-Type")
    }

    /// The bytes of the field called `name`.
    static func field(_ name: String, in body: [UInt8], boundary: String) throws(APIError) -> [UInt8] {
        let delimiter = Array("--\(boundary)".utf8)
        let nextPart = Array("\r\n--\(boundary)".utf8)
        guard var cursor = find(delimiter, in: body, from: 0) else {
            throw APIError(.badRequest, "malformed multipart body: the boundary '\(boundary)' never occurs")
        }
        var fieldNames: [String] = []
        while true {
            cursor += delimiter.count
            // "--" after a delimiter closes the body.
            if body.count >= cursor + 2, body[cursor] == UInt8(ascii: "-"), body[cursor + 1] == UInt8(ascii: "-") { break }
            guard let headersEnd = find(Array("\r\n\r\n".utf8), in: body, from: cursor) else {
                throw APIError(.badRequest, "malformed multipart body: a part's headers never end (no blank line)")
            }
            let headers = String(decoding: body[cursor..<headersEnd], as: UTF8.self)
            let contentStart = headersEnd + 4
            guard let contentEnd = find(nextPart, in: body, from: contentStart) else {
                throw APIError(.badRequest, "malformed multipart body: a part is not followed by the boundary '\(boundary)'")
            }
            let fieldName = dispositionName(headers)
            if fieldName == name { return Array(body[contentStart..<contentEnd]) }
            if let fieldName { fieldNames.append(fieldName) }
            cursor = contentEnd + 2
        }
        let found = fieldNames.isEmpty ? "no named fields" : "fields " + fieldNames.map { "'\($0)'" }.joined(separator: ", ")
        throw APIError(.badRequest, "multipart body has no field named '\(name)' (found \(found))")
    }

    /// `name="…"` of the part's Content-Disposition header.
    private static func dispositionName(_ headers: String) -> String? {
        for line in headers.split(separator: "\r\n") {
            let lower = line.lowercased()
            guard lower.hasPrefix("content-disposition:") else { continue }
            for parameter in line.split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "name" else { continue }
                var value = pair[1].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                return value
            }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
