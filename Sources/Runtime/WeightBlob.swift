/// A generated model's packed weights, decoded once from the base64 literal into 64-byte-aligned memory that
/// lives for the rest of the process (the generated code keeps it in a `static let`).
public final class WeightBlob: @unchecked Sendable {
    // Immutable after init; shared read-only by every predictor instance of the model.
    public let base: UnsafeRawPointer
    public let count: Int

    /// `byteCount` is what the generator encoded; a mismatch means the source was edited by hand.
    public init(base64: String, byteCount: Int) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1) + 64, alignment: 64)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1) + 64)
        let decoded = Base64.decode(base64, into: UnsafeMutableRawBufferPointer(start: memory, count: byteCount))
        // The literal is generated with its length next to it; anything else is a corrupted generated file.
        precondition(decoded == byteCount, "generated weights decode to \(decoded ?? -1) bytes, expected \(byteCount): regenerate with digits compile")
        base = UnsafeRawPointer(memory)
        count = byteCount
    }
}

/// Activation buffers for one predictor instance: one aligned allocation, borders filled once at init.
public final class Scratch {
    public let base: UnsafeMutableRawPointer
    public let count: Int

    /// `fills`: (offset, byteCount, value) ranges written once, e.g. borders holding an input zero point.
    public init(byteCount: Int, fills: [(offset: Int, count: Int, value: UInt8)]) {
        count = byteCount
        // Whole cache lines (plus 64 bytes of slack for kernels' over-reads): no line is shared with another
        // allocation, so predictors on different threads never write to the same line (false sharing).
        let allocated = (byteCount + 64 + 63) / 64 * 64
        base = UnsafeMutableRawPointer.allocate(byteCount: allocated, alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: allocated)
        for fill in fills {
            (base + fill.offset).initializeMemory(as: UInt8.self, repeating: fill.value, count: fill.count)
        }
    }

    deinit { base.deallocate() }
}
