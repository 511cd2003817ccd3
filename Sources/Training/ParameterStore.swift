import ModelIO
import NetSpec

/// Every parameter tensor of a network (PyTorch names and layouts), with one gradient buffer per worker thread
/// and the summed gradient the optimizer reads. Worker gradients are summed in worker order, so a run is
/// reproducible for a given thread count.
final class ParameterStore {
    let specs: [ParameterSpec]
    let values: [FloatBuffer]
    /// `workerGradients[w][p]`; empty arrays for non-trainable tensors (batchnorm running statistics).
    let workerGradients: [[FloatBuffer]]
    let gradients: [FloatBuffer]
    private let indexByName: [String: Int]

    init(network: Network, workers: Int) {
        specs = network.parameters
        values = specs.map { FloatBuffer(count: $0.elementCount) }
        workerGradients = (0..<workers).map { _ in
            network.parameters.map { FloatBuffer(count: $0.trainable ? $0.elementCount : 0) }
        }
        gradients = specs.map { FloatBuffer(count: $0.trainable ? $0.elementCount : 0) }
        var index: [String: Int] = [:]
        for (i, spec) in specs.enumerated() { index[spec.name] = i }
        indexByName = index
    }

    func index(of layer: String, _ role: ParameterSpec.Role) -> Int? { indexByName["\(layer).\(role.rawValue)"] }

    func zeroWorkerGradients() {
        for worker in workerGradients { for buffer in worker { buffer.zero() } }
    }

    /// gradients[p] = Σ_w workerGradients[w][p], in worker order.
    func reduceGradients() {
        for p in specs.indices where specs[p].trainable {
            let destination = gradients[p].pointer
            let count = gradients[p].count
            destination.update(from: workerGradients[0][p].pointer, count: count)
            for w in 1..<workerGradients.count {
                let source = workerGradients[w][p].pointer
                for i in 0..<count { destination[i] += source[i] }
            }
        }
    }

    var tensors: [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (spec, value) in zip(specs, values) { result[spec.name] = Tensor(shape: spec.shape, scalars: value.array) }
        return result
    }

    /// Copies given tensors in; every parameter must be present with the spec's shape.
    func load(_ tensors: [String: Tensor]) throws(TrainingError) {
        for (spec, value) in zip(specs, values) {
            guard let tensor = tensors[spec.name] else { throw .missingParameter(name: spec.name, shape: spec.shape) }
            guard tensor.shape == spec.shape else {
                throw .parameterShapeMismatch(name: spec.name, expected: spec.shape, found: tensor.shape)
            }
            value.copy(from: tensor.scalars)
        }
    }
}
