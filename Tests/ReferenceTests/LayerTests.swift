import Testing
import ModelIO
@testable import Reference

@Suite struct PoolingTests {
    @Test func maxAndAvgPoolValid() throws {
        // x = 1…16 in 4x4; 2x2 windows: max = 6, 8, 14, 16; mean = 3.5, 5.5, 11.5, 13.5.
        let x = counting([1, 1, 4, 4])
        #expect(try interpreter("input 1x4x4\nmaxpool size=2\nflatten\n").run(x) == t([1, 4], [6, 8, 14, 16]))
        #expect(try interpreter("input 1x4x4\navgpool size=2\nflatten\n").run(x) == t([1, 4], [3.5, 5.5, 11.5, 13.5]))
        // 3x3 windows, stride 1: max of each is its bottom-right element.
        #expect(try interpreter("input 1x4x4\nmaxpool size=3 stride=1\nflatten\n").run(x) == t([1, 4], [11, 12, 15, 16]))
    }

    @Test func maxPoolSamePaddingIgnoresThePadding() throws {
        // x = −1…−9 in 3x3; size 2, stride 2, same: 0 before, 1 after. Windows {0,1}x{0,1}, {0,1}x{2}, {2}x{0,1},
        // {2}x{2}: max = −1, −3, −7, −9. Zero padding would give 0 in the last three.
        let x = t([1, 1, 3, 3], (1...9).map { -Float($0) })
        #expect(try interpreter("input 1x3x3\nmaxpool size=2 padding=same\nflatten\n").run(x) == t([1, 4], [-1, -3, -7, -9]))
    }

    @Test func avgPoolSamePaddingDividesByInBoundsCount() throws {
        // x = 1…9 in 3x3: (1+2+4+5)/4 = 3, (3+6)/2 = 4.5, (7+8)/2 = 7.5, 9/1 = 9.
        let x = counting([1, 1, 3, 3])
        #expect(try interpreter("input 1x3x3\navgpool size=2 padding=same\nflatten\n").run(x) == t([1, 4], [3, 4.5, 7.5, 9]))
    }

    @Test func globalAveragePoolAveragesEachChannel() throws {
        // ch0 = 1…4 → 2.5; ch1 = 5…8 → 6.5.
        let x = counting([1, 2, 2, 2])
        #expect(try interpreter("input 2x2x2\nglobal_avgpool\n").run(x) == t([1, 2], [2.5, 6.5]))
    }
}

@Suite struct DenseAndShapeTests {
    @Test func denseWithBiasAndRelu() throws {
        // x = [1,2,3]; unit 0: 1+4+9 + 0.5 = 14.5; unit 1: −1+0+3 − 3 = −1 → relu 0.
        let net = try interpreter("input 3x1x1\nflatten\ndense units=2 activation=relu\n", [
            "dense.weight": t([2, 3], [1, 2, 3, -1, 0, 1]), "dense.bias": t([2], [0.5, -3]),
        ])
        #expect(try net.run(counting([1, 3, 1, 1])) == t([1, 2], [14.5, 0]))
    }

    @Test func flattenKeepsChannelRowColumnOrder() throws {
        // x[c][h][w] = 100c + 10h + w. A one-hot dense weight at flat index 5 must read c=1, h=0, w=1 → 101.
        let x = t([1, 2, 2, 2], [0, 1, 10, 11, 100, 101, 110, 111])
        var weight = [Float](repeating: 0, count: 8)
        weight[5] = 1
        let net = try interpreter("input 2x2x2\nflatten\ndense units=1 bias=false\n", ["dense.weight": t([1, 8], weight)])
        #expect(try net.run(x) == t([1, 1], [101]))
        #expect(try interpreter("input 2x2x2\nflatten\n").run(x) == t([1, 8], x.scalars))
    }

    @Test func batchNormUsesRunningStatistics() throws {
        // ε = 0.25 so sqrt(var + ε) is exact: ch0 sqrt(3.75 + 0.25) = 2, ch1 sqrt(8.75 + 0.25) = 3.
        // ch0 x = [1,3]: (1−1)/2·2+1 = 1, (3−1)/2·2+1 = 3. ch1 x = [2,8]: (2−2)/3·0.5−1 = −1, (8−2)/3·0.5−1 = 0.
        let net = try interpreter("input 2x1x2\nbn: batchnorm epsilon=0.25\nflatten\n", [
            "bn.weight": t([2], [2, 0.5]), "bn.bias": t([2], [1, -1]),
            "bn.running_mean": t([2], [1, 2]), "bn.running_var": t([2], [3.75, 8.75]),
        ])
        #expect(try net.run(t([1, 2, 1, 2], [1, 3, 2, 8])) == t([1, 4], [1, 3, -1, 0]))
        // After flatten each feature is its own channel: [3, 8] → (3−1)/2·2+1 = 3, (8−2)/3·0.5−1 = 0.
        let flat = try interpreter("input 2x1x1\nflatten\nbn: batchnorm epsilon=0.25\n", [
            "bn.weight": t([2], [2, 0.5]), "bn.bias": t([2], [1, -1]),
            "bn.running_mean": t([2], [1, 2]), "bn.running_var": t([2], [3.75, 8.75]),
        ])
        #expect(try flat.run(t([1, 2, 1, 1], [3, 8])) == t([1, 2], [3, 0]))
    }

    @Test func dropoutIsIdentityAtInference() throws {
        let x = t([1, 3, 1, 1], [-1.5, 0, 2.25])
        #expect(try interpreter("input 3x1x1\nflatten\ndropout rate=0.5\n").run(x) == t([1, 3], x.scalars))
    }

    @Test func reluClampsNegatives() throws {
        let x = t([1, 3, 1, 1], [-1.5, 0, 2.25])
        #expect(try interpreter("input 3x1x1\nrelu\nflatten\n").run(x) == t([1, 3], [0, 0, 2.25]))
    }
}

@Suite struct MergeTests {
    // a = 2x, b = −4x (1x1 convolutions); x = [1, −2]: a = [2, −4], b = [−4, 8].
    static let weights = ["a.weight": t([1, 1, 1, 1], [2]), "b.weight": t([1, 1, 1, 1], [-4])]
    static let branches = "input 1x1x2\na: conv2d(input) filters=1 kernel=1 bias=false\nb: conv2d(input) filters=1 kernel=1 bias=false\n"

    @Test func addSumsAllInputsThenOptionalRelu() throws {
        // a + b + x = [2−4+1, −4+8−2] = [−1, 2].
        let x = t([1, 1, 1, 2], [1, -2])
        let plain = try interpreter(Self.branches + "add(a, b, input)\nflatten\n", Self.weights)
        #expect(try plain.run(x) == t([1, 2], [-1, 2]))
        let rectified = try interpreter(Self.branches + "add(a, b, input) activation=relu\nflatten\n", Self.weights)
        #expect(try rectified.run(x) == t([1, 2], [0, 2]))
    }

    @Test func concatJoinsChannelsInOrder() throws {
        // Channels: x = [1, −2], a = [2, −4], b = [−4, 8].
        let x = t([1, 1, 1, 2], [1, -2])
        let plain = try interpreter(Self.branches + "concat(input, a, b)\nflatten\n", Self.weights)
        #expect(try plain.run(x) == t([1, 6], [1, -2, 2, -4, -4, 8]))
        let rectified = try interpreter(Self.branches + "concat(input, a, b) activation=relu\nflatten\n", Self.weights)
        #expect(try rectified.run(x) == t([1, 6], [1, 0, 2, 0, 0, 8]))
    }

    @Test func concatOfFlatVectorsPerImage() throws {
        // Two images; f = flatten(x), d = 3·f; concat(f, d) per image: [x, 3x].
        let net = try interpreter("input 1x1x2\nf: flatten\nd: dense units=2 bias=false\nconcat(f, d)\n",
                                  ["d.weight": t([2, 2], [3, 0, 0, 3])])
        #expect(try net.run(t([2, 1, 1, 2], [1, 2, 3, 4])) == t([2, 4], [1, 2, 3, 6, 3, 4, 9, 12]))
    }
}

@Suite struct SoftmaxTests {
    @Test func softmaxMatchesHandValuesAndSumsToOne() throws {
        // e^1, e^2, e^3 normalized: 0.09003057, 0.24472847, 0.66524096.
        let net = try interpreter("input 3x1x1\nflatten\nsoftmax\n")
        let y = try net.run(t([1, 3, 1, 1], [1, 2, 3])).scalars
        for (value, expected) in zip(y, [0.09003057, 0.24472847, 0.66524096] as [Float]) {
            #expect(abs(value - expected) < 1e-6)
        }
        #expect(abs(y.reduce(0, +) - 1) < 1e-6)
    }

    @Test func softmaxIsStableForLargeLogits() throws {
        // [1000, 1000, 998] − max = [0, 0, −2]: 1/(2+e^−2) = 0.46831053, e^−2/(2+e^−2) = 0.06337894.
        let net = try interpreter("input 3x1x1\nflatten\nsoftmax\n")
        let x = t([1, 3, 1, 1], [1000, 1000, 998])
        let y = try net.run(x).scalars
        for (value, expected) in zip(y, [0.46831053, 0.46831053, 0.06337894] as [Float]) {
            #expect(abs(value - expected) < 1e-6)
        }
        #expect(abs(y.reduce(0, +) - 1) < 1e-6)
        #expect(try net.logits(x) == t([1, 3], [1000, 1000, 998]))
    }

    @Test func logitsEqualRunWithoutFinalSoftmax() throws {
        let net = try interpreter("input 3x1x1\nflatten\n")
        let x = t([1, 3, 1, 1], [1, 2, 3])
        #expect(try net.logits(x) == net.run(x))
    }
}
