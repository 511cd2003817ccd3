import Testing
@testable import ModelIO

@Suite struct SafeTensorsMalformedTests {
    typealias B = SafeTensorsBytes
    static let a8 = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#

    func expectMessage(_ bytes: [UInt8], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(B.decodeMessage(bytes) == "bad.safetensors: " + expected, sourceLocation: sourceLocation)
    }

    @Test func anEndlessFileStopsAtTheSizeLimit() {
        #expect(throws: SafeTensorsError(source: "/dev/zero", reason: "file is larger than the limit of 3000000 bytes; not a weights file?")) {
            try readFileBytes(path: "/dev/zero", limit: 3_000_000)
        }
        #expect(maximumSafeTensorsFileSize == 1 << 30)
    }

    @Test func shorterThanTheLengthField() {
        expectMessage([1, 2, 3], "file is 3 bytes, shorter than the 8-byte header length field")
        expectMessage([], "file is 0 bytes, shorter than the 8-byte header length field")
    }

    @Test func dataCutShort() {
        expectMessage(B.file(Self.a8, data: B.f32([1])),
                      #"tensor "a": data_offsets [0, 8] extend past the end of the data section (4 bytes; file truncated?)"#)
    }

    @Test func headerLengthZeroTooLargeOrBeyondTheFile() {
        expectMessage(B.file("{}", length: 0), "header length is 0; expected a JSON object")
        expectMessage(B.file("{}", length: 100_000_001), "header length 100000001 exceeds the limit of 100000000 bytes")
        expectMessage(B.file("{}", length: UInt64.max), "header length 18446744073709551615 exceeds the limit of 100000000 bytes")
        expectMessage(B.file("{}", data: [0x20, 0x20], length: 5),
                      "header length 5 extends past the end of the file (header would end at byte 13, file is 12 bytes)")
    }

    @Test func headerNotJSON() {
        expectMessage(B.file(#"{"a":}"#), "header is not valid JSON: expected a JSON value, found '}' at byte 13")
        expectMessage(B.file(#"{"a":{"dtype":"F32"}"#), "header is not valid JSON: expected ',' or '}' in object, found end of header at byte 28")
        expectMessage(B.file("{\"a\":01}"), "header is not valid JSON: number with a leading zero at byte 13")
        expectMessage(B.file("{\"a\":\"\u{01}\"}"), "header is not valid JSON: unescaped control character 0x1 in string at byte 14")
        expectMessage(B.file(#"{"a":"\ud800"}"#), "header is not valid JSON: unpaired surrogate escape at byte 14")
        expectMessage(B.file(#"{'a':1}"#), "header is not valid JSON: expected a string key, found ''' at byte 9")
    }

    @Test func headerMustStartWithABrace() {
        expectMessage(B.file("[1]     "), "header must start with '{', found '[' (0x5B) at byte 8")
        expectMessage(B.file(" {}     "), "header must start with '{', found 0x20 at byte 8")
    }

    @Test func headerNotAnObjectAfterTheBrace() {
        expectMessage(B.file("{} {}   "), "header padding after the JSON object must be spaces, found '{' (0x7B) at byte 11")
        expectMessage(B.file("{}\n"), "header padding after the JSON object must be spaces, found 0x0A at byte 10")
    }

    @Test func headerNotUTF8() {
        expectMessage(B.file(headerBytes: Array(#"{"a"#.utf8) + [0xFF] + Array(#"":1}"#.utf8)), "header is not valid UTF-8 at byte 11")
        // Overlong encoding of '/' and an encoded surrogate are invalid UTF-8 too.
        expectMessage(B.file(headerBytes: [0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x7D]), "header is not valid UTF-8 at byte 10")
        expectMessage(B.file(headerBytes: [0x7B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D]), "header is not valid UTF-8 at byte 10")
    }

    @Test func duplicateKeys() {
        let tensor = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        expectMessage(B.file(#"{"a":\#(tensor),"a":\#(tensor)}"#, data: B.f32([1])),
                      #"header has duplicate key "a" at byte 62"#)
        expectMessage(B.file(#"{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: B.f32([1])),
                      #"header has duplicate key "dtype" at byte 28"#)
        expectMessage(B.file(#"{"__metadata__":{"k":"1","k":"2"}}"#), #"header has duplicate key "k" at byte 33"#)
    }

    @Test func overlappingOffsets() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        expectMessage(B.file(header, data: B.f32([1, 2, 3])),
                      #"tensor "b" data_offsets [4, 12] overlap tensor "a" data_offsets [0, 8]"#)
    }

    @Test func sameOffsetsTwice() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        expectMessage(B.file(header, data: B.f32([1])),
                      #"tensor "b" data_offsets [0, 4] overlap tensor "a" data_offsets [0, 4]"#)
    }

    @Test func gapBetweenTensors() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let bytes = B.file(header, data: B.f32([1, 2, 3]))
        expectMessage(bytes, #"gap of 4 bytes in the data section before tensor "b": data bytes 4..<8 (file bytes 120..<124) belong to no tensor"#)
    }

    @Test func gapAtTheStart() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        expectMessage(B.file(header, data: B.f32([1, 2])),
                      #"gap of 4 bytes in the data section before tensor "a": data bytes 0..<4 (file bytes 62..<66) belong to no tensor"#)
    }

    @Test func offsetsOutOfRange() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        expectMessage(B.file(header, data: B.f32([1, 2])),
                      #"tensor "a": data_offsets [4, 12] extend past the end of the data section (8 bytes; file truncated?)"#)
        expectMessage(B.file(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}"#, data: B.f32([1, 2])),
                      #"tensor "a": data_offsets [8, 4] begin is after end"#)
        expectMessage(B.file(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,99999999999999999999]}}"#),
                      #"tensor "a": data_offsets end is 99999999999999999999, too large"#)
    }

    @Test func sizeMismatchWithDtypeAndShape() {
        expectMessage(B.file(#"{"a":{"dtype":"F16","shape":[2,3],"data_offsets":[0,8]}}"#, data: B.f32([1, 2])),
                      #"tensor "a": data_offsets [0, 8] hold 8 bytes, but F16 [2, 3] needs 12 bytes"#)
    }

    @Test func trailingBytes() {
        expectMessage(B.file(Self.a8, data: B.f32([1, 2]) + [0]),
                      "1 trailing bytes after the last tensor (file bytes 70..<71)")
        expectMessage(B.file("{}      ", data: [1, 2]), "2 trailing bytes after the last tensor (file bytes 16..<18)")
    }

    @Test func unknownDtype() {
        expectMessage(B.file(#"{"a":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}}"#, data: [0]),
                      #"tensor "a": unknown dtype "F4"; known dtypes: BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64"#)
        expectMessage(B.file(#"{"a":{"dtype":3,"shape":[2],"data_offsets":[0,1]}}"#, data: [0]),
                      #"tensor "a": dtype must be a string, found a number"#)
    }

    @Test func badShapes() {
        expectMessage(B.file(#"{"a":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,0]}}"#),
                      #"tensor "a": shape dimension 1 is -1; must be a non-negative integer"#)
        expectMessage(B.file(#"{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,0]}}"#),
                      #"tensor "a": shape dimension 0 must be a non-negative integer, found 2.5"#)
        expectMessage(B.file(#"{"a":{"dtype":"F32","shape":"2","data_offsets":[0,0]}}"#),
                      #"tensor "a": shape must be an array of non-negative integers, found a string"#)
        expectMessage(B.file(#"{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#),
                      #"tensor "a": shape [4294967296, 4294967296] has too many elements (byte size overflows)"#)
    }

    @Test func entryFieldsMustBeExactlyDtypeShapeOffsets() {
        expectMessage(B.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}"#, data: B.f32([1])),
                      #"tensor "a": unexpected field "extra"; expected exactly dtype, shape, data_offsets"#)
        expectMessage(B.file(#"{"a":{"dtype":"F32","data_offsets":[0,4]}}"#, data: B.f32([1])),
                      #"tensor "a": missing field 'shape'"#)
        expectMessage(B.file(#"{"a":[1]}"#),
                      #"tensor "a": entry must be an object with dtype, shape and data_offsets, found an array"#)
        expectMessage(B.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#, data: B.f32([1])),
                      #"tensor "a": data_offsets must be [begin, end], found 3 elements"#)
    }

    @Test func emptyTensorName() {
        expectMessage(B.file(#"{"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: B.f32([1])),
                      "tensor name at byte 9 is empty")
    }

    @Test func metadataMustMapStringsToStrings() {
        expectMessage(B.file(#"{"__metadata__":{"epochs":3}}"#), #"'__metadata__' entry "epochs" must be a string, found a number"#)
        expectMessage(B.file(#"{"__metadata__":["pt"]}"#), "'__metadata__' must be an object of string values, found an array")
        expectMessage(B.file(#"{"__metadata__":null}"#), "'__metadata__' must be an object of string values, found null")
    }

    @Test func validEdgeCasesDecode() throws {
        // No tensors at all, JSON whitespace inside the object, escapes in names, trailing space padding.
        #expect(B.decodeMessage(B.file("{}")) == "decoded")
        let header = "{ \"a\\u00e9\\n\" : {\"shape\":[], \"dtype\":\"F32\", \"data_offsets\":[0,4]} }   "
        let file = try SafeTensorsFile.decode(B.file(header, data: B.f32([2])), source: "ok")
        #expect(file.names == ["a\u{e9}\n"])
        #expect(file["a\u{e9}\n"] == RawTensor(dtype: .f32, shape: [], bytes: B.f32([2])))
    }
}
