/// The activations of up to `lanes` images side by side, for a batch whose largest dense layer runs once per group
/// of images (each weight load then feeds every image; see `Kernels.denseGroup`). The first scratch is the
/// predictor's own.
public final class ScratchGroup {
    public let scratches: [Scratch]
    /// `lanes` scratch bases, for the kernels.
    public let bases: UnsafeMutablePointer<UnsafeMutableRawPointer>
    public var lanes: Int { scratches.count }

    public init(first: Scratch, lanes: Int, fills: [(offset: Int, count: Int, value: UInt8)]) {
        scratches = [first] + (1..<max(lanes, 1)).map { _ in Scratch(byteCount: first.count, fills: fills) }
        bases = .allocate(capacity: scratches.count)
        for (i, s) in scratches.enumerated() { (bases + i).initialize(to: s.base) }
    }

    deinit { bases.deallocate() }
}
