import NetSpec

enum Initialization {
    /// He-normal convolution and dense weights (std √(2/fan-in)), except a dense layer without activation that
    /// produces the logits, which gets √(1/fan-in); zero biases; batchnorm γ = 1, β = 0, running mean 0, var 1.
    static func initialize(_ store: ParameterStore, network: Network, seed: UInt64) {
        for (p, spec) in store.specs.enumerated() {
            let value = store.values[p]
            var random = RandomGenerator(seed: seed, stream: [0, UInt64(p)])
            switch spec.role {
            case .weight where spec.shape.count >= 2:
                let fanIn = spec.shape.dropFirst().reduce(1, *)
                let layer = network.layer(named: spec.layer)
                let gain: Float = layer?.op.fusedActivation == .relu || !(layer.map(Self.feedsLogits(network)) ?? false) ? 2 : 1
                let std = (gain / Float(fanIn)).squareRoot()
                for i in 0..<value.count { value.pointer[i] = std * random.normal() }
            case .weight, .runningVar:
                for i in 0..<value.count { value.pointer[i] = 1 }
            case .bias, .runningMean:
                value.zero()
            }
        }
    }

    /// Whether a layer's output goes straight into the final softmax (or is the output).
    private static func feedsLogits(_ network: Network) -> (Layer) -> Bool {
        { layer in
            guard let index = network.layers.firstIndex(where: { $0.name == layer.name }) else { return false }
            if index == network.layers.count - 1 { return true }
            return index == network.layers.count - 2 && network.layers.last.map { if case .softmax = $0.op { true } else { false } } == true
        }
    }
}
