/// Output shapes of every operation, with messages that show what was expected and what was found.
public enum ShapeInference {
    public struct Mismatch: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// `sources` names each input for messages (e.g. `'flatten' (18432)`).
    public static func outputShape(of op: Operation, inputs: [Shape], sources: [String]) throws(Mismatch) -> Shape {
        let kind = op.kind.keyword
        func describe(_ i: Int) -> String { "\(sources[i]) (\(inputs[i]))" }
        func spatial() throws(Mismatch) -> Shape {
            guard let shape = inputs.first, shape.isSpatial else {
                throw Mismatch(message: "\(kind) expects a CxHxW feature map, found \(describe(0))"
                    + (inputs.first?.isFlat == true ? "; it cannot follow a flat layer such as dense or flatten" : ""))
            }
            return shape
        }
        func window(_ input: Shape, kernel: Size2, stride: Size2, padding: Padding, what: String) throws(Mismatch) -> (Int, Int) {
            let rows = padding.amounts(input: input.height, kernel: kernel.height, stride: stride.height)
            let cols = padding.amounts(input: input.width, kernel: kernel.width, stride: stride.width)
            guard rows.output >= 1, cols.output >= 1 else {
                throw Mismatch(message: "\(what) \(kernel.height)x\(kernel.width) does not fit the \(input.height)x\(input.width) input \(describe(0)) with padding=\(padding.rawValue); use a smaller \(what) or padding=same")
            }
            return (rows.output, cols.output)
        }

        switch op {
        case .conv2d(let a):
            let input = try spatial()
            let (h, w) = try window(input, kernel: a.kernel, stride: a.stride, padding: a.padding, what: "kernel")
            return Shape(channels: a.filters, height: h, width: w)
        case .depthwiseConv2d(let a):
            let input = try spatial()
            let (h, w) = try window(input, kernel: a.kernel, stride: a.stride, padding: a.padding, what: "kernel")
            return Shape(channels: input.channels * a.multiplier, height: h, width: w)
        case .maxPool(let a), .avgPool(let a):
            let input = try spatial()
            let (h, w) = try window(input, kernel: a.size, stride: a.stride, padding: a.padding, what: "pool window")
            return Shape(channels: input.channels, height: h, width: w)
        case .globalAvgPool:
            return Shape(features: try spatial().channels)
        case .dense:
            guard let input = inputs.first, input.isFlat else {
                throw Mismatch(message: "dense expects a flat input, found \(describe(0)); add 'flatten' or 'global_avgpool' before it")
            }
            guard case .dense(let a) = op else { return input }
            return Shape(features: a.units)
        case .flatten:
            return Shape(features: inputs.first?.elementCount ?? 0)
        case .relu, .batchNorm, .dropout, .softmax:
            guard let input = inputs.first else { return Shape([]) }
            if case .softmax = op, !input.isFlat {
                throw Mismatch(message: "softmax expects a flat input of class scores, found \(describe(0))")
            }
            return input
        case .add:
            guard let first = inputs.first else { return Shape([]) }
            for i in inputs.indices.dropFirst() where inputs[i] != first {
                throw Mismatch(message: "add needs inputs of the same shape, found \(describe(0)) and \(describe(i))")
            }
            return first
        case .concat:
            guard let first = inputs.first else { return Shape([]) }
            for i in inputs.indices.dropFirst() {
                let other = inputs[i]
                let compatible = first.isFlat ? other.isFlat
                    : (other.isSpatial && other.height == first.height && other.width == first.width)
                guard compatible else {
                    throw Mismatch(message: "concat joins along channels and needs equal height and width (or all flat), found \(describe(0)) and \(describe(i))")
                }
            }
            let channels = inputs.reduce(0) { $0 + $1.channels }
            return first.isFlat ? Shape(features: channels) : Shape(channels: channels, height: first.height, width: first.width)
        }
    }
}
