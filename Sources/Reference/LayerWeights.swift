import ModelIO
import NetSpec

/// One layer's parameters, copied out of the weights dictionary once so the forward pass never looks up names.
/// Arrays a layer does not use stay empty; an empty `bias` means "no bias".
struct LayerWeights: Sendable {
    var weight: [Float] = []
    var bias: [Float] = []
    var runningMean: [Float] = []
    var runningVar: [Float] = []

    /// Checks every tensor `layer.parameters` lists is present with exactly the listed shape.
    /// Extra tensors in `parameters` are ignored (PyTorch state dicts carry e.g. `num_batches_tracked`).
    init(layer: Layer, parameters: [String: Tensor]) throws(InterpreterError) {
        for spec in layer.parameters {
            guard let tensor = parameters[spec.name] else {
                throw InterpreterError("weights have no tensor '\(spec.name)' (expected shape \(spec.shape)) "
                    + "for layer '\(layer.name)' at \(layer.location)")
            }
            guard tensor.shape == spec.shape else {
                throw InterpreterError("weights tensor '\(spec.name)' has shape \(tensor.shape), expected \(spec.shape) "
                    + "for layer '\(layer.name)' at \(layer.location)")
            }
            switch spec.role {
            case .weight: weight = tensor.scalars
            case .bias: bias = tensor.scalars
            case .runningMean: runningMean = tensor.scalars
            case .runningVar: runningVar = tensor.scalars
            }
        }
    }
}
