import Runtime

/// A model lowered to kernel calls with every constant decided: tensor placements in scratch memory, the packed
/// weight blob, and one step per layer. The Swift emitter writes it out; `PlanRunner` executes it directly.
public struct PredictorPlan: Sendable {
    public enum Kernel: Sendable {
        case convolution(ConvolutionLayer)
        case dense(ConvolutionLayer)
        case depthwise(DepthwiseLayer)
        case maxPool(PoolLayer)
        case averagePool(PoolLayer)
        case globalAveragePool(PoolLayer)
        case add(AddLayer)
        case concat(ConcatLayer)
        case relu(from: TensorPlacement, to: TensorPlacement)
    }

    public struct Step: Sendable {
        /// The layer's name in the spec.
        public var layer: String
        /// One line for the generated comment: op, shapes, attributes, MACs.
        public var summary: String
        public var kernel: Kernel
        /// Multiply-accumulates of the layer (0 for pools and elementwise layers).
        public var macs: Int
        /// On a convolution: the max pool that is its output's only reader, run together with it
        /// (`Kernels.convolution(_:pooledBy:…)`, fused on the VNNI path).
        public var pooledBy: PoolLayer? = nil
        /// On that max pool: it runs inside the previous step's call.
        public var runsWithPrevious = false
    }

    public var input: TensorPlacement
    public var output: TensorPlacement
    public var outputCount: Int
    public var steps: [Step]
    public var scratchBytes: Int
    /// Regions filled once at init (padding borders hold the zero point).
    public var fills: [(offset: Int, count: Int, value: UInt8)]
    public var weights: [UInt8]
}
