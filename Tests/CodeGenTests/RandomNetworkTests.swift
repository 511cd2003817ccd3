import CodeGen
import Testing

/// Randomly shaped small networks through every kernel path, against the int8 interpreter: the AVX2 kernels
/// choose between Winograd F(3×3) / F(2×2) / stride 2 (with direct strips), the few-channel and one-channel first
/// layers and tap pairs by shape, and fuse a following 2×2 max pool into some of them, so their boundaries
/// (partial tiles, odd sizes, 1–8 and 16–48 channels, strides 1 and 2, same and valid, pooled or not) are covered
/// by shapes nobody picked by hand. Seeded: a failure names its network.
@Suite struct RandomNetworkTests {
    /// The synthetic weights' SplitMix64 (identical on every platform, so a failing seed reproduces anywhere).
    struct Generator {
        var base: SyntheticModel.Generator
        init(state: UInt64) { base = SyntheticModel.Generator(state: state) }
        mutating func next() -> UInt64 { base.next() }
        mutating func pick<T>(_ choices: [T]) -> T { choices[Int(next() % UInt64(choices.count))] }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    }

    /// A spec: one-channel input, a first convolution into 1–8, 16 or 32 channels, then 1–3 convolutions with
    /// mostly multiples of 16 channels (Winograd's condition) and 3×3 kernels, global pool, dense 10.
    static func spec(seed: UInt64) -> String {
        var g = Generator(state: seed)
        var (h, w) = (g.int(6...30), g.int(6...30))
        var lines = ["network random_\(seed)", "input 1x\(h)x\(w) scale=1/255 mean=0.1307 std=0.3081"]
        func add(_ g: inout Generator, filters: Int, kernel: Int, strides: [Int]) {
            let stride = g.pick(strides)
            let same = h < kernel || w < kernel || g.next() % 2 == 0
            lines.append("conv2d filters=\(filters) kernel=\(kernel) stride=\(stride) padding=\(same ? "same" : "valid") activation=relu")
            if same {
                (h, w) = ((h + stride - 1) / stride, (w + stride - 1) / stride)
            } else {
                (h, w) = ((h - kernel) / stride + 1, (w - kernel) / stride + 1)
            }
            // Sometimes a 2×2 max pool, the convolution's only reader: fused when the sizes are even.
            if h >= 2, w >= 2, g.next() % 3 == 0 {
                lines.append("maxpool size=2")
                (h, w) = (h / 2, w / 2)
            }
        }
        add(&g, filters: g.pick([1, 2, 3, 4, 5, 6, 7, 8, 16, 32]), kernel: g.pick([3, 5]), strides: [1, 1, 2])
        for _ in 0..<g.int(1...3) {
            add(&g, filters: g.pick([16, 32, 48, 16, 32, 17]), kernel: g.pick([3, 3, 3, 1]), strides: [1, 2])
        }
        lines += ["global_avgpool", "dense units=10", "softmax"]
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: UInt64(1)...24)
    func randomNetworkMatchesTheInterpreter(_ seed: UInt64) throws {
        let source = Self.spec(seed: seed)
        let artifact = try SyntheticModel.artifact(specSource: source, file: "random_\(seed).spec", seed: seed)
        let shape = artifact.model.inputShape
        let failures = try PlanRunnerTests.mismatches(artifact, images: SyntheticModel.images(count: 3, shape: shape, seed: seed),
                                                      count: 3)
        #expect(failures.isEmpty, "\(failures.joined(separator: "; "))\nspec:\n\(source)")
    }
}
