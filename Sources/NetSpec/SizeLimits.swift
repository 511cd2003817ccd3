/// Caps on tensor sizes and compute, so a hostile or mistyped spec (`filters=1000000 kernel=99999`) is an
/// error message instead of an integer overflow trap when parameters or MACs are counted.
public enum SizeLimits {
    /// Elements of any one tensor: the input, a layer output, or a weight.
    public static let maxTensorElements = 1 << 32
    /// Multiply-accumulates of one layer for one image.
    public static let maxLayerMACs = 1 << 44

    /// The product, or nil if it overflows `Int`.
    static func product(_ factors: [Int]) -> Int? {
        var result = 1
        for factor in factors {
            let (value, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = value
        }
        return result
    }

    /// Why `layer` is too big to handle, or nil when every count fits the limits (and so cannot overflow).
    static func problem(with layer: Layer) -> String? {
        let output = layer.outputShape
        guard let outputElements = product(output.dims), outputElements <= maxTensorElements else {
            return "its output \(output) has more than \(maxTensorElements) elements"
        }
        for parameter in layer.parameters {
            guard let elements = product(parameter.shape), elements <= maxTensorElements else {
                return "its weight '\(parameter.name)' \(parameter.shape) has more than \(maxTensorElements) elements"
            }
        }
        guard let macs = layer.checkedMACs, macs <= maxLayerMACs else {
            return "it needs more than \(maxLayerMACs) multiply-accumulates per image"
        }
        return nil
    }
}
