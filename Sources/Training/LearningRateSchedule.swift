import Foundation

extension TrainingConfiguration.Schedule {
    /// The learning rate for optimizer step `step` (0-based) of `totalSteps`.
    func rate(peak: Float, step: Int, totalSteps: Int, stepsPerEpoch: Int) -> Float {
        let total = Double(max(totalSteps, 1))
        let t = Double(step)
        switch self {
        case .constant:
            return peak
        case .cosine(let warmupEpochs):
            let warmup = warmupEpochs * Double(stepsPerEpoch)
            if t < warmup { return peak * Float((t + 1) / warmup) }
            let progress = min(1, (t - warmup) / max(total - warmup, 1))
            return peak * Float(0.5 * (1 + cos(Double.pi * progress)))
        case .oneCycle(let warmupFraction):
            let warmup = warmupFraction * total
            let start = Double(peak) / 25, end = Double(peak) / 1e4
            if t < warmup { return Float(start + (Double(peak) - start) * t / warmup) }
            let progress = min(1, (t - warmup) / max(total - warmup, 1))
            return Float(end + (Double(peak) - end) * 0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}
