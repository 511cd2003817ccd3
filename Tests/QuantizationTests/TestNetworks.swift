import Foundation
import NetSpec
import ModelIO
@testable import Quantization
import Reference

/// Small specs covering every layer kind the int8 path lowers, and random parameters for them.
enum TestNetworks {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let small = """
        network small
        input 1x8x8 scale=1/255 mean=0.1307 std=0.3081
        c1: conv2d filters=4 kernel=3 padding=same bias=false
        bn1: batchnorm
        r1: relu
        p1: maxpool size=2
        c2: conv2d filters=6 kernel=3 padding=same
        d1: dropout rate=0.3
        bn2: batchnorm
        r2: relu
        f: flatten
        fc: dense units=10
        softmax
        """

    /// Residual add, a standalone batchnorm after add, concat, depthwise, avgpool with padding, global pool.
    static let branchy = """
        network branchy
        input 1x7x7 scale=1/255 mean=0.1307 std=0.3081
        stem: conv2d filters=4 kernel=3 padding=same activation=relu
        a: conv2d filters=4 kernel=3 padding=same bias=false
        abn: batchnorm
        sum: add(stem, abn)
        sumbn: batchnorm
        sumrelu: relu
        dw: depthwise_conv2d(sumrelu) kernel=3 multiplier=2 padding=same stride=2 activation=relu
        side: conv2d(sumrelu) filters=3 kernel=1 stride=2
        cat: concat(dw, side) activation=relu
        ap: avgpool size=2 stride=1 padding=same
        gp: global_avgpool
        fc: dense units=10
        softmax
        """

    static func parameters(for network: Network, seed: UInt64) -> [String: Tensor] {
        var generator = SplitMix64(seed: seed)
        func uniform() -> Float { Float(generator.next() % 2_000_001) / 1_000_000 - 1 }
        var result: [String: Tensor] = [:]
        for spec in network.parameters {
            let fanIn = max(1, spec.shape.dropFirst().reduce(1, *))
            let scalars: [Float] = (0..<spec.elementCount).map { _ in
                switch spec.role {
                case .weight where network.layers.contains { $0.name == spec.layer && $0.op.kind == .batchNorm }:
                    return 1 + 0.3 * uniform()
                case .weight: return uniform() * (3 / Float(fanIn)).squareRoot()
                case .bias: return 0.1 * uniform()
                case .runningMean: return 0.2 * uniform()
                case .runningVar: return 0.8 + 0.5 * abs(uniform())
                }
            }
            result[spec.name] = Tensor(shape: spec.shape, scalars: scalars)
        }
        return result
    }

    static func pixels(count: Int, perImage: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return (0..<(count * perImage)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    /// An int8 model with arbitrary (not calibrated) output scales, for tests of the artifact format.
    static func lowered(_ source: String, seed: UInt64) throws -> (network: Network, model: Int8Model) {
        let network = try NetworkSpec.parse(source, file: "test.spec")
        let folded = try NetworkFolding.fold(network, parameters: parameters(for: network, seed: seed))
        var outputs: [Int: Int8Quantization] = [:]
        for (i, layer) in folded.network.layers.enumerated() where Int8Lowering.needsCalibration(layer) {
            outputs[i] = Int8Quantization(scale: 0.01 + Double(i) / 50, zeroPoint: Int32(i * 7 % 50) - 25)
        }
        return (network, try Int8Lowering.lower(folded.network, parameters: folded.parameters, outputs: outputs))
    }
}
