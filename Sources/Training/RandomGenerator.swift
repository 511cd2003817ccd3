import Foundation

/// xoshiro256** seeded through SplitMix64: small, fast, and the same sequence on every platform, which is
/// what makes `--seed` reproducible. Streams for independent purposes (shuffling, augmentation of image i in
/// epoch e, dropout masks) are derived with `RandomGenerator(seed:stream:)` so they never depend on thread
/// scheduling or on how a batch is split between workers.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// A generator for one purpose, e.g. `(seed, [purpose, epoch, image])`.
    public init(seed: UInt64, stream: [UInt64]) {
        var h = seed ^ 0x6A09_E667_F3BC_C908
        for value in stream {
            h = (h ^ value) &* 0x100_0000_01B3 &+ 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        self.init(seed: h)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * nextFloat() }

    /// Standard normal (Box–Muller; one value per call keeps the stream simple).
    public mutating func normal() -> Float {
        let u1 = max(Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0), 1e-300)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// Uniform integer in 0..<bound without modulo bias worth caring about for bound ≪ 2^64.
    public mutating func index(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

