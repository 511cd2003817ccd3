import Testing
import Runtime

@Suite struct Base64Tests {
    func decode(_ text: String, capacity: Int = 64) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: capacity)
        let n = buffer.withUnsafeMutableBytes { Base64.decode(text, into: $0) }
        return n.map { Array(buffer[0..<$0]) }
    }

    @Test func roundTripsEveryLengthModuloThree() {
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8(($0 * 97 + 13) % 256) }
            #expect(decode(Base64.encode(bytes, lineLength: 8)) == bytes, "length \(length)")
        }
    }

    @Test func knownVectors() {
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(decode("Zm9v\nYg==") == Array("foob".utf8))
    }

    @Test func rejectsBadInput() {
        #expect(decode("Zm9v!") == nil)
        #expect(decode("Zm9") == nil)
        #expect(decode("Zg==Zg==") == nil)
        #expect(decode("Zm9vYmFy", capacity: 5) == nil)
    }
}

@Suite struct EffectivePathTests {
    @Test func x86PathsHaveTheirOwnKernels() {
        #expect(Kernels.effectivePath(.portable) == .portable)
        #expect(Kernels.effectivePath(.avx2) == (Kernels.avx2Compiled ? .avx2 : .portable))
        #expect(Kernels.effectivePath(.avx512vnni) == (Kernels.vnniCompiled ? .avx512vnni : .portable))
    }
}
