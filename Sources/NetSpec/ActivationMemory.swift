/// How much memory the activations of one image need, in elements (multiply by the element size:
/// 4 for float32, 1 for int8).
///
/// `peakLiveElements` assumes a runtime that frees each tensor after its last reader has run and never
/// computes a layer in place: while layer `i` runs, its inputs, its output, and every earlier tensor that a
/// later layer still reads are all alive. The network input counts as a tensor; the last layer's output
/// stays alive to the end.
public struct ActivationMemory: Sendable, Hashable, Codable {
    /// Sum of every layer's output size (the network input not included).
    public var outputElements: Int
    /// Elements alive while each layer runs, in layer order.
    public var liveElements: [Int]
    /// The largest entry of `liveElements` (the input size for a network without layers).
    public var peakLiveElements: Int
    /// The layer running when the peak is reached.
    public var peakLayer: Int?

    public init(_ network: Network) {
        let layers = network.layers
        outputElements = layers.reduce(0) { $0 + $1.outputShape.elementCount }
        // Last reader of the network input and of each layer's output; the output layer lives to the end.
        var inputLastUse = -1
        var lastUse = layers.indices.map { $0 == layers.count - 1 ? layers.count : $0 }
        for (index, layer) in layers.enumerated() {
            for source in layer.inputs {
                switch source {
                case .networkInput: inputLastUse = max(inputLastUse, index)
                case .layer(let producer): lastUse[producer] = max(lastUse[producer], index)
                }
            }
        }
        let inputElements = network.input.shape.elementCount
        let live = layers.indices.map { step in
            var total = inputLastUse >= step ? inputElements : 0
            for producer in 0...step where lastUse[producer] >= step {
                total += layers[producer].outputShape.elementCount
            }
            return total
        }
        liveElements = live
        if let peak = live.indices.max(by: { live[$0] < live[$1] }) {
            peakLayer = peak
            peakLiveElements = live[peak]
        } else {
            peakLayer = nil
            peakLiveElements = inputElements
        }
    }
}

extension Network {
    public var activationMemory: ActivationMemory { ActivationMemory(self) }

    /// True when every layer reads just the layer above it (the first reads the input): a plain stack that
    /// needs no "connected to" column.
    public var isSequential: Bool {
        layers.indices.allSatisfy { index in
            layers[index].inputs == [index == 0 ? .networkInput : .layer(index - 1)]
        }
    }

    /// The name a layer input is known by in specs: `input` or the producing layer's name.
    public func name(of source: LayerInput) -> String {
        switch source {
        case .networkInput: "input"
        case .layer(let index): layers[index].name
        }
    }
}
