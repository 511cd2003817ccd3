/// SHA-256 (FIPS 180-4) in plain Swift: checksums of downloaded and shipped data files. Written here
/// because swift-crypto would be a heavy dependency for one hash function.
public enum SHA256 {
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Lowercase hex, the form used by `sha256sum` and SHA256SUMS files.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        hexString(hash(bytes))
    }

    public static func hexString(_ digest: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var characters: [UInt8] = []
        characters.reserveCapacity(digest.count * 2)
        for byte in digest {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// Incremental form, for data that arrives in pieces.
    public struct Hasher: Sendable {
        private var state: [UInt32] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
        ]
        private var pending: [UInt8] = []
        private var totalBytes: UInt64 = 0

        public init() {}

        public mutating func update(_ bytes: some Collection<UInt8>) {
            totalBytes &+= UInt64(bytes.count)
            let absorbed: Bool = bytes.withContiguousStorageIfAvailable { buffer in
                absorb(UnsafeRawBufferPointer(buffer))
                return true
            } ?? false
            if !absorbed {
                let copy = Array(bytes)
                copy.withUnsafeBytes { absorb($0) }
            }
        }

        public mutating func finalize() -> [UInt8] {
            let bitLength = totalBytes &* 8
            var tail: [UInt8] = [0x80]
            let afterMarker = (pending.count + 1) % 64
            let zeros = afterMarker <= 56 ? 56 - afterMarker : 120 - afterMarker
            tail.append(contentsOf: repeatElement(0, count: zeros))
            for shift in stride(from: 56, through: 0, by: -8) {
                tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
            }
            tail.withUnsafeBytes { absorb($0) }
            var digest: [UInt8] = []
            digest.reserveCapacity(32)
            for word in state {
                digest.append(UInt8(truncatingIfNeeded: word >> 24))
                digest.append(UInt8(truncatingIfNeeded: word >> 16))
                digest.append(UInt8(truncatingIfNeeded: word >> 8))
                digest.append(UInt8(truncatingIfNeeded: word))
            }
            return digest
        }

        /// Consumes whole 64-byte blocks, keeping any remainder in `pending`.
        private mutating func absorb(_ input: UnsafeRawBufferPointer) {
            var offset = 0
            if !pending.isEmpty {
                let needed = min(64 - pending.count, input.count)
                pending.append(contentsOf: input[0..<needed])
                offset = needed
                guard pending.count == 64 else { return }
                let block = pending
                pending.removeAll(keepingCapacity: true)
                block.withUnsafeBytes { compressBlocks($0) }
            }
            let whole = (input.count - offset) / 64 * 64
            if whole > 0 {
                compressBlocks(UnsafeRawBufferPointer(rebasing: input[offset..<(offset + whole)]))
                offset += whole
            }
            if offset < input.count {
                pending.append(contentsOf: input[offset...])
            }
        }

        /// Pointers are taken once per call, not per block: unoptimised (debug) builds pay dearly for
        /// array accesses in the inner loop.
        private mutating func compressBlocks(_ blocks: UnsafeRawBufferPointer) {
            guard let base = blocks.baseAddress else { return }
            let blockCount = blocks.count / 64
            state.withUnsafeMutableBufferPointer { state in
                Self.roundConstants.withUnsafeBufferPointer { k in
                    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                        guard let state = state.baseAddress, let k = k.baseAddress, let w = w.baseAddress else { return }
                        for index in 0..<blockCount {
                            Self.compress(base + 64 * index, state: state, k: k, w: w)
                        }
                    }
                }
            }
        }

        private static func compress(_ block: UnsafeRawPointer, state: UnsafeMutablePointer<UInt32>,
                                     k: UnsafePointer<UInt32>, w: UnsafeMutablePointer<UInt32>) {
            let bytes = block.assumingMemoryBound(to: UInt8.self)
            for t in 0..<16 {
                let b = bytes + 4 * t
                w[t] = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
            }
            for t in 16..<64 {
                let x = w[t - 15], y = w[t - 2]
                let s0 = (x >> 7 | x << 25) ^ (x >> 18 | x << 14) ^ (x >> 3)
                let s1 = (y >> 17 | y << 15) ^ (y >> 19 | y << 13) ^ (y >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var a = state[0], b = state[1], c = state[2], d = state[3]
            var e = state[4], f = state[5], g = state[6], h = state[7]
            for t in 0..<64 {
                let s1 = (e >> 6 | e << 26) ^ (e >> 11 | e << 21) ^ (e >> 25 | e << 7)
                let t1 = h &+ s1 &+ ((e & f) ^ (~e & g)) &+ k[t] &+ w[t]
                let s0 = (a >> 2 | a << 30) ^ (a >> 13 | a << 19) ^ (a >> 22 | a << 10)
                let t2 = s0 &+ ((a & b) ^ (a & c) ^ (b & c))
                h = g; g = f; f = e; e = d &+ t1
                d = c; c = b; b = a; a = t1 &+ t2
            }
            state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
            state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
        }

        private static let roundConstants: [UInt32] = [
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        ]
    }
}
