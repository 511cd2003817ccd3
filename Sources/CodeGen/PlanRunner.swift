import Runtime

/// Executes a `PredictorPlan` without generating Swift: the same kernel calls with the same constants as the
/// generated file. Used to check kernels on arbitrary models (edge cases) and to run a `.q8` directly.
public final class PlanRunner {
    public let plan: PredictorPlan
    public let path: KernelPath
    private let scratch: Scratch
    private let weights: UnsafeMutableRawPointer

    public init(plan: PredictorPlan, path: KernelPath) {
        self.plan = plan
        self.path = Kernels.effectivePath(path)
        scratch = Scratch(byteCount: plan.scratchBytes, fills: plan.fills)
        weights = UnsafeMutableRawPointer.allocate(byteCount: plan.weights.count + 64, alignment: 64)
        weights.initializeMemory(as: UInt8.self, repeating: 0, count: plan.weights.count + 64)
        plan.weights.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { weights.copyMemory(from: base, byteCount: bytes.count) }
        }
    }

    /// Where this runner's copy of the weights lives (kernels that cache derived weights key them by it).
    public var weightsAddress: UnsafeRawPointer { UnsafeRawPointer(weights) }

    deinit {
        // The AVX2 kernels cache re-laid-out weights by address: a later blob at this address must not find them.
        Kernels.forgetDerivedWeights(in: UnsafeRawPointer(weights), byteCount: plan.weights.count + 64)
        weights.deallocate()
    }

    public func predict(_ pixels: [UInt8]) throws(PredictionError) -> [Int8] {
        let count = plan.input.height * plan.input.width * plan.input.channels
        guard pixels.count == count else { throw PredictionError("expected \(count) pixels, got \(pixels.count)") }
        let s = scratch.base
        pixels.withUnsafeBufferPointer { p in
            if let base = p.baseAddress { PortableKernels.loadInput(base, into: plan.input, scratch: s) }
        }
        for step in plan.steps { run(step) }
        var logits = [Int8](repeating: 0, count: plan.outputCount)
        logits.withUnsafeMutableBufferPointer { l in
            if let base = l.baseAddress { PortableKernels.storeOutput(plan.output, scratch: s, to: base) }
        }
        return logits
    }

    /// Seconds per step (best of `rounds`), after loading `pixels`: where a prediction's time goes.
    public func profile(_ pixels: [UInt8], rounds: Int = 200) throws(PredictionError) -> [(step: PredictorPlan.Step, seconds: Double)] {
        _ = try predict(pixels)
        return plan.steps.map { step in
            var best = Double.infinity
            for _ in 0..<rounds {
                let start = ContinuousClock.now
                run(step)
                let d = ContinuousClock.now - start
                best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
            }
            return (step, best)
        }
    }

    /// Per step, after loading `pixels`: the median and the fastest of repeated runs of that step alone, for
    /// about `secondsPerStep` each (at least 20 runs). `digits profile`'s int8 side.
    public func timings(_ pixels: [UInt8], secondsPerStep: Double) throws(PredictionError) -> [(step: PredictorPlan.Step, median: Double, fastest: Double)] {
        _ = try predict(pixels)
        return plan.steps.map { step in
            var samples: [Double] = []
            let start = ContinuousClock.now
            var elapsed = 0.0
            repeat {
                let t0 = ContinuousClock.now
                run(step)
                let d = ContinuousClock.now - t0
                samples.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
                let total = ContinuousClock.now - start
                elapsed = Double(total.components.seconds) + Double(total.components.attoseconds) * 1e-18
            } while (elapsed < secondsPerStep || samples.count < 20) && samples.count < 1_000_000
            samples.sort()
            return (step, samples[samples.count / 2], samples[0])
        }
    }

    private func run(_ step: PredictorPlan.Step) {
        let s = scratch.base, w = UnsafeRawPointer(weights)
        do {
            switch step.kernel {
            case .convolution(let l):
                if let pool = step.pooledBy {
                    Kernels.convolution(l, pooledBy: pool, scratch: s, weights: w, path: path)
                } else {
                    Kernels.convolution(l, scratch: s, weights: w, path: path)
                }
            case .maxPool where step.runsWithPrevious: break
            case .dense(let l): Kernels.dense(l, scratch: s, weights: w, path: path)
            case .depthwise(let l): Kernels.depthwise(l, scratch: s, weights: w, path: path)
            case .maxPool(let l): Kernels.maxPool(l, scratch: s, path: path)
            case .averagePool(let l): PortableKernels.averagePool(l, scratch: s)
            case .globalAveragePool(let l): PortableKernels.globalAveragePool(l, scratch: s)
            case .add(let l): Kernels.add(l, scratch: s, path: path)
            case .concat(let l): PortableKernels.concat(l, scratch: s)
            case .relu(let from, let to): PortableKernels.relu(from: from, to: to, scratch: s)
            }
        }
    }
}
