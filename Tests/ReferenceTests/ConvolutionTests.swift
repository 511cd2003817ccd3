import Testing
import ModelIO
@testable import Reference

@Suite struct ConvolutionTests {
    @Test func validConvolutionWithTwoChannelsBiasAndRelu() throws {
        // x channel 0 = [[1,2,3],[4,5,6],[7,8,9]], channel 1 = all ones.
        // Filter 0: ch0 [[1,2],[3,4]], ch1 all ones (adds 4), bias 0.5:
        //   y00 = 1·1+2·2+3·4+4·5 + 4 + 0.5 = 41.5, y01 = 2+6+15+24 + 4.5 = 51.5, y10 = 4+10+21+32 + 4.5 = 71.5,
        //   y11 = 5+12+24+36 + 4.5 = 81.5.
        // Filter 1: ch0 [[-1,0],[0,0]], bias 3, relu: max(0, 3 − x[oy][ox]) = 2, 1, 0, 0.
        let net = try interpreter("input 2x3x3\nconv2d filters=2 kernel=2 activation=relu\nflatten\n", [
            "conv2d.weight": t([2, 2, 2, 2], [1, 2, 3, 4, 1, 1, 1, 1, -1, 0, 0, 0, 0, 0, 0, 0]),
            "conv2d.bias": t([2], [0.5, 3]),
        ])
        let x = t([1, 2, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9] + [Float](repeating: 1, count: 9))
        #expect(try net.run(x) == t([1, 8], [41.5, 51.5, 71.5, 81.5, 2, 1, 0, 0]))
    }

    @Test func sameConvolution3x3On4x4PadsOneOnEachSide() throws {
        // x = 1…16 row-major. Filter 0 (all ones) sums each zero-padded 3x3 neighbourhood.
        // Filter 1 has only its top-left tap: y[oy][ox] = x[oy−1][ox−1] (cross-correlation, not flipped).
        let net = try interpreter("input 1x4x4\nconv2d filters=2 kernel=3 padding=same bias=false\nflatten\n", [
            "conv2d.weight": t([2, 1, 3, 3], [Float](repeating: 1, count: 9) + [1, 0, 0, 0, 0, 0, 0, 0, 0]),
        ])
        let sums: [Float] = [14, 24, 30, 22,
                             33, 54, 63, 45,
                             57, 90, 99, 69,
                             46, 72, 78, 54]
        let shifted: [Float] = [0, 0, 0, 0,
                                0, 1, 2, 3,
                                0, 5, 6, 7,
                                0, 9, 10, 11]
        #expect(try net.run(counting([1, 1, 4, 4])) == t([1, 32], sums + shifted))
    }

    @Test func sameConvolution3x3On5x5() throws {
        // Only the bottom-right tap: y[oy][ox] = x[oy+1][ox+1], zero past the edge.
        let net = try interpreter("input 1x5x5\nconv2d filters=1 kernel=3 padding=same bias=false\nflatten\n", [
            "conv2d.weight": t([1, 1, 3, 3], [0, 0, 0, 0, 0, 0, 0, 0, 1]),
        ])
        let expected: [Float] = [7, 8, 9, 10, 0,
                                 12, 13, 14, 15, 0,
                                 17, 18, 19, 20, 0,
                                 22, 23, 24, 25, 0,
                                 0, 0, 0, 0, 0]
        #expect(try net.run(counting([1, 1, 5, 5])) == t([1, 25], expected))
    }

    @Test func strideTwoSamePaddingOnOddInputPutsTheExtraPadAfter() throws {
        // 5x5, kernel 2, stride 2: output 3, total padding 1 → 0 before, 1 after. Windows cover rows/cols {0,1},
        // {2,3}, {4}. All-ones kernel: y00 = 1+2+6+7 = 16, y01 = 3+4+8+9 = 24, y02 = 5+10 = 15,
        // y10 = 11+12+16+17 = 56, y11 = 64, y12 = 15+20 = 35, y20 = 21+22 = 43, y21 = 23+24 = 47, y22 = 25.
        let net = try interpreter("input 1x5x5\nconv2d filters=1 kernel=2 stride=2 padding=same bias=false\nflatten\n", [
            "conv2d.weight": t([1, 1, 2, 2], [1, 1, 1, 1]),
        ])
        #expect(try net.run(counting([1, 1, 5, 5])) == t([1, 9], [16, 24, 15, 56, 64, 35, 43, 47, 25]))
    }

    @Test func strideTwoSamePaddingWithOddTotalPadding() throws {
        // 5x5, kernel 4, stride 2: output 3, total padding 3 → 1 before, 2 after. Top-left tap only:
        // y[oy][ox] = x[2·oy − 1][2·ox − 1] → row/col 0 read padding; x[1][1] = 7, x[1][3] = 9, x[3][1] = 17, x[3][3] = 19.
        let net = try interpreter("input 1x5x5\nconv2d filters=1 kernel=4 stride=2 padding=same bias=false\nflatten\n", [
            "conv2d.weight": t([1, 1, 4, 4], [1] + [Float](repeating: 0, count: 15)),
        ])
        #expect(try net.run(counting([1, 1, 5, 5])) == t([1, 9], [0, 0, 0, 0, 7, 9, 0, 17, 19]))
    }

    @Test func asymmetricKernel1x3ValidAndSame() throws {
        // x = [[1,2,3,4],[5,6,7,8]], kernel [1, 10, 100] along the width.
        let weights = ["conv2d.weight": t([1, 1, 1, 3], [1, 10, 100])]
        let x = counting([1, 1, 2, 4])
        // valid: y[r][c] = x[r][c] + 10·x[r][c+1] + 100·x[r][c+2].
        let valid = try interpreter("input 1x2x4\nconv2d filters=1 kernel=1x3 bias=false\nflatten\n", weights)
        #expect(try valid.run(x) == t([1, 4], [321, 432, 765, 876]))
        // same: no padding on rows, one column on each side: y[r][c] = x[r][c−1] + 10·x[r][c] + 100·x[r][c+1].
        let same = try interpreter("input 1x2x4\nconv2d filters=1 kernel=1x3 padding=same bias=false\nflatten\n", weights)
        #expect(try same.run(x) == t([1, 8], [210, 321, 432, 43, 650, 765, 876, 87]))
    }

    @Test func depthwiseMultiplierTwoReadsChannelOverMultiplier() throws {
        // ch0 = [[1,2],[3,4]], ch1 = [[5,6],[7,8]]; outputs 0,1 read ch0, outputs 2,3 read ch1.
        // o0: top-left of ch0 = 1; o1: bottom-right of ch0 = 4; o2: sum of ch1 = 26; o3: 5 − 6 + bias 10 = 9.
        let net = try interpreter("input 2x2x2\ndepthwise_conv2d kernel=2 multiplier=2\nflatten\n", [
            "depthwise_conv2d.weight": t([4, 1, 2, 2], [1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, -1, 0, 0]),
            "depthwise_conv2d.bias": t([4], [0, 0, 0, 10]),
        ])
        #expect(try net.run(counting([1, 2, 2, 2])) == t([1, 4], [1, 4, 26, 9]))
    }

    @Test func batchOfTwoImagesIsComputedPerImage() throws {
        // 1x1 convolution scaling by 2 plus bias 1, on two images [1,2] and [3,4].
        let net = try interpreter("input 1x1x2\nconv2d filters=1 kernel=1\nflatten\n", [
            "conv2d.weight": t([1, 1, 1, 1], [2]), "conv2d.bias": t([1], [1]),
        ])
        #expect(try net.run(counting([2, 1, 1, 2])) == t([2, 2], [3, 5, 7, 9]))
    }
}
