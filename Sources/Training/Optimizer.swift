import Foundation

/// Optimizer state (momentum / first and second moments) and the update rule.
final class OptimizerState {
    let kind: TrainingConfiguration.Optimizer
    let weightDecay: Float
    /// First-moment (or momentum) and second-moment buffers per parameter; empty for non-trainable ones.
    let first: [FloatBuffer]
    let second: [FloatBuffer]
    /// Updates applied so far (Adam's bias correction needs it).
    var step = 0

    init(kind: TrainingConfiguration.Optimizer, weightDecay: Float, store: ParameterStore) {
        self.kind = kind
        self.weightDecay = weightDecay
        first = store.specs.map { FloatBuffer(count: $0.trainable ? $0.elementCount : 0) }
        let needsSecond: Bool
        switch kind {
        case .sgd: needsSecond = false
        case .adam, .adamW: needsSecond = true
        }
        second = store.specs.map { FloatBuffer(count: $0.trainable && needsSecond ? $0.elementCount : 0) }
    }

    /// One update of every trainable parameter from `store.gradients`.
    func apply(to store: ParameterStore, learningRate lr: Float) {
        step += 1
        for p in store.specs.indices where store.specs[p].trainable {
            let w = store.values[p].pointer, g = store.gradients[p].pointer
            let count = store.values[p].count
            // Decay weights of convolutions and dense layers; biases and batchnorm scales stay free.
            let decay = store.specs[p].shape.count >= 2 ? weightDecay : 0
            let m = first[p].pointer
            switch kind {
            case .sgd(let momentum, let nesterov):
                for i in 0..<count {
                    let gradient = g[i] + decay * w[i]
                    m[i] = momentum * m[i] + gradient
                    w[i] -= lr * (nesterov ? gradient + momentum * m[i] : m[i])
                }
            case .adam(let beta1, let beta2, let epsilon), .adamW(let beta1, let beta2, let epsilon):
                let decoupled: Bool
                if case .adamW = kind { decoupled = true } else { decoupled = false }
                let v = second[p].pointer
                let correction1 = 1 - Float(pow(Double(beta1), Double(step)))
                let correction2 = 1 - Float(pow(Double(beta2), Double(step)))
                let stepSize = lr / correction1
                let inverseCorrection2 = 1 / correction2
                for i in 0..<count {
                    var gradient = g[i]
                    if decoupled { w[i] -= lr * decay * w[i] } else { gradient += decay * w[i] }
                    m[i] = beta1 * m[i] + (1 - beta1) * gradient
                    v[i] = beta2 * v[i] + (1 - beta2) * gradient * gradient
                    w[i] -= stepSize * m[i] / ((v[i] * inverseCorrection2).squareRoot() + epsilon)
                }
            }
        }
    }
}
