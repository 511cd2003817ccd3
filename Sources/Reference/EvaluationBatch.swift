import Foundation
import NetSpec

/// How many images the float interpreter may run at once: it keeps every layer's float32 output for the whole
/// batch, and a spec within the language's size limits can need gigabytes per image, where a fixed batch of 256
/// would end in an allocation failure (a crash, not an error).
public enum EvaluationBatch {
    /// Bytes of float32 activations one image needs in the interpreter (input plus every layer's output),
    /// saturating instead of overflowing.
    public static func bytesPerImage(_ network: Network) -> Int {
        let elements = ActivationMemory(network).outputElements.addingReportingOverflow(network.input.shape.elementCount)
        let bytes = elements.partialValue.multipliedReportingOverflow(by: 4)
        return elements.overflow || bytes.overflow ? .max : bytes.partialValue
    }

    /// The largest batch up to `preferred` whose activations, on each of `threads` threads, fit in half of
    /// `available` bytes; nil when not even one image per thread does.
    public static func size(network: Network, preferred: Int, threads: Int = 1,
                            available: UInt64 = ProcessInfo.processInfo.physicalMemory) -> Int? {
        let perImage = UInt64(bytesPerImage(network))
        let budget = available / 2 / UInt64(max(1, threads))
        guard perImage > 0 else { return max(1, preferred) }
        let fitting = budget / perImage
        guard fitting >= 1 else { return nil }
        return Int(min(UInt64(max(1, preferred)), fitting))
    }
}
