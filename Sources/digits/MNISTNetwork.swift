import NetSpec

/// A spec the MNIST commands (train, eval with weights) can use: 1×28×28 in, 10 scores out.
enum MNISTNetwork {
    static func load(spec: String) throws -> Network {
        let network = try NetworkSpec.load(path: spec)
        let mnist = Shape(channels: 1, height: 28, width: 28)
        guard network.input.shape == mnist else {
            throw CLIError("\(spec): input is \(network.input.shape) but MNIST images are \(mnist)")
        }
        guard network.outputShape == Shape(features: 10) else {
            throw CLIError("\(spec): the network outputs \(network.outputShape) scores, MNIST has 10 classes")
        }
        return network
    }
}
