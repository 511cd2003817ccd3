/// How a window (convolution kernel or pool) treats the border.
public enum Padding: String, Sendable, Hashable, Codable, CaseIterable {
    /// No padding: the window only visits positions where it fits entirely.
    case valid
    /// Output size is `ceil(input / stride)`. The total padding is split as TensorFlow does:
    /// the smaller half before, the larger half after.
    case same

    /// Padding before/after one axis and the resulting output length (may be ≤ 0 when the window does not fit).
    public struct Amounts: Sendable, Hashable {
        public var before: Int
        public var after: Int
        public var output: Int
    }

    public func amounts(input: Int, kernel: Int, stride: Int) -> Amounts {
        switch self {
        case .valid:
            let output = input >= kernel ? (input - kernel) / stride + 1 : input - kernel + 1
            return Amounts(before: 0, after: 0, output: output)
        case .same:
            let output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernel - input, 0)
            return Amounts(before: total / 2, after: total - total / 2, output: output)
        }
    }
}

/// An activation fused into the layer that produces the values.
public enum Activation: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    case relu
}
