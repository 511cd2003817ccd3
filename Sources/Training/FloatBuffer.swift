/// A zero-initialized, fixed-size float buffer the training hot loops address by pointer. Allocated once per
/// layer and reused for every batch, so no step allocates.
final class FloatBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }

    func zero() { pointer.update(repeating: 0, count: count) }

    func copy(from values: [Float]) {
        precondition(values.count == count, "FloatBuffer: copying \(values.count) values into \(count)")
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// Per-element indices (max-pool winners) kept between the forward and the backward pass.
final class IndexBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<Int32>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }
}
