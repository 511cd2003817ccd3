import Testing
import NetSpec
@testable import Training

/// Analytic gradients against central finite differences of the mean softmax cross-entropy, in Float with
/// h = 4e-3 on tiny random networks. An element passes when |analytic − numeric| ≤ 1e-3 + 3e-2·|numeric|.
/// Where a step crosses a kink (a ReLU or max-pool winner switching) the difference quotients at h and h/2
/// disagree; such elements are skipped, and at most 10 % of the checked elements may be skipped.
/// Every network starts with a convolution or dense layer, so its weights' gradient is only right if the
/// gradient flowed correctly through the layer under test.
@Suite struct GradientCheckTests {
    static let h: Float = 4e-3

    struct Mismatch: CustomStringConvertible {
        var name: String, index: Int, analytic: Float, numeric: Float
        var description: String { "\(name)[\(index)]: analytic \(analytic), numeric \(numeric)" }
    }

    /// Returns the mismatching elements and the number of elements checked.
    static func check(_ spec: String, batch: Int = 4, threads: Int = 2, seed: UInt64 = 7) throws -> (mismatches: [Mismatch], checked: Int, kinks: Int) {
        let network = try NetworkSpec.parse(spec, file: "check.spec")
        let graph = try TrainingGraph(network: network, capacity: batch, workers: threads)
        var random = RandomGenerator(seed: seed)
        for (spec, value) in zip(graph.store.specs, graph.store.values) {
            for i in 0..<value.count {
                value.pointer[i] = spec.role == .runningVar ? 1 : (spec.role == .weight && spec.shape.count == 1 ? 1 + 0.3 * random.normal() : 0.5 * random.normal())
            }
        }
        for i in 0..<graph.networkInput.count { graph.networkInput.pointer[i] = random.normal() }
        let classes = network.outputShape.elementCount
        let labels = (0..<batch).map { UInt8($0 % classes) }
        func loss() -> Double {
            graph.forward(batch: batch, training: true, seed: seed, step: 1)
            return labels.withUnsafeBufferPointer { graph.softmaxCrossEntropy(labels: $0.baseAddress!).loss } / Double(batch)
        }
        _ = loss()
        graph.backward()
        var mismatches: [Mismatch] = []
        var checked = 0, kinks = 0
        func quotient(_ value: UnsafeMutablePointer<Float>, _ i: Int, _ step: Float) -> Float {
            let saved = value[i]
            value[i] = saved + step
            let plus = loss()
            value[i] = saved - step
            let minus = loss()
            value[i] = saved
            return Float((plus - minus) / Double(2 * step))
        }
        func tolerance(_ numeric: Float) -> Float { 1e-3 + 3e-2 * abs(numeric) }
        for (p, spec) in graph.store.specs.enumerated() where spec.trainable {
            let value = graph.store.values[p].pointer
            let analytic = graph.store.gradients[p].array
            let stride = max(1, spec.elementCount / 40)
            for i in Swift.stride(from: 0, to: spec.elementCount, by: stride) {
                let numeric = quotient(value, i, h)
                checked += 1
                if abs(numeric - quotient(value, i, h / 2)) > tolerance(numeric) {
                    kinks += 1
                    continue
                }
                if abs(analytic[i] - numeric) > tolerance(numeric) {
                    mismatches.append(Mismatch(name: spec.name, index: i, analytic: analytic[i], numeric: numeric))
                }
            }
        }
        return (mismatches, checked, kinks)
    }

    static let specs: [(String, String)] = [
        ("conv2d stride 2, same padding, bias, relu", """
         input 2x7x7
         conv2d filters=3 kernel=3 stride=2 padding=same activation=relu
         conv2d filters=2 kernel=2 padding=same
         flatten
         dense units=3
         softmax
         """),
        ("conv2d valid, 2x3 kernel, stride 2x1", """
         input 1x6x7
         conv2d filters=2 kernel=2x3 stride=2x1
         flatten
         dense units=3
         softmax
         """),
        ("depthwise multiplier 2, stride 2, same", """
         input 2x6x6
         conv2d filters=2 kernel=1
         depthwise_conv2d multiplier=2 kernel=3 stride=2 padding=same activation=relu
         flatten
         dense units=3
         softmax
         """),
        ("maxpool 3 stride 2 same", """
         input 1x7x7
         conv2d filters=2 kernel=3 padding=same
         maxpool size=3 stride=2 padding=same
         flatten
         dense units=3
         softmax
         """),
        ("avgpool 3 stride 2 same", """
         input 1x7x7
         conv2d filters=2 kernel=3 padding=same
         avgpool size=3 stride=2 padding=same
         flatten
         dense units=3
         softmax
         """),
        ("global avgpool", """
         input 1x5x5
         conv2d filters=4 kernel=3 padding=same activation=relu
         global_avgpool
         dense units=3
         softmax
         """),
        ("dense, relu, dropout", """
         input 1x4x4
         flatten
         dense units=8
         relu
         dropout rate=0.3
         dense units=3
         softmax
         """),
        ("batchnorm training mode, spatial and flat", """
         input 2x5x5
         conv2d filters=3 kernel=3 bias=false
         batchnorm
         relu
         flatten
         dense units=5
         batchnorm
         dense units=3
         softmax
         """),
        ("add and concat graph", """
         input 1x6x6
         a: conv2d filters=2 kernel=3 padding=same activation=relu
         b: conv2d(a) filters=2 kernel=3 padding=same
         c: add(a, b) activation=relu
         d: conv2d(c) filters=1 kernel=1
         e: concat(c, d, a)
         f: avgpool(e) size=2
         flatten
         dense units=3
         softmax
         """),
    ]

    @Test(arguments: 0..<specs.count)
    func analyticGradientsMatchFiniteDifferences(case index: Int) throws {
        let (name, spec) = Self.specs[index]
        let (mismatches, checked, kinks) = try Self.check(spec)
        #expect(checked > 20, "\(name)")
        #expect(kinks * 10 <= checked, "\(name): \(kinks) of \(checked) elements sit on kinks")
        #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(5))")
    }

    @Test func oneThreadAndTwoThreadsGiveTheSameGradients() throws {
        let spec = Self.specs[7].1
        func gradients(threads: Int) throws -> [[Float]] {
            let network = try NetworkSpec.parse(spec)
            let graph = try TrainingGraph(network: network, capacity: 6, workers: threads)
            var random = RandomGenerator(seed: 3)
            for value in graph.store.values { for i in 0..<value.count { value.pointer[i] = 0.5 * random.normal() + 0.6 } }
            for i in 0..<graph.networkInput.count { graph.networkInput.pointer[i] = random.normal() }
            let labels: [UInt8] = [0, 1, 2, 0, 1, 2]
            graph.forward(batch: 6, training: true)
            _ = labels.withUnsafeBufferPointer { graph.softmaxCrossEntropy(labels: $0.baseAddress!) }
            graph.backward()
            return graph.store.gradients.map(\.array)
        }
        let one = try gradients(threads: 1), two = try gradients(threads: 2)
        for (a, b) in zip(one, two) {
            for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-5 * max(1, abs(x))) }
        }
    }
}
