/// A dense float32 tensor in row-major order. The currency between weights files, interpreters and training.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var scalars: [Float]

    /// `scalars.count` must equal the product of `shape`; callers build both from validated sizes.
    public init(shape: [Int], scalars: [Float]) {
        precondition(scalars.count == shape.reduce(1, *), "Tensor: \(scalars.count) scalars for shape \(shape)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(zeros shape: [Int]) {
        self.shape = shape
        self.scalars = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    public var count: Int { scalars.count }
}
