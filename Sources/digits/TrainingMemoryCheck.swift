import Foundation
import NetSpec

/// Refuses a training run whose memory, counted low, already exceeds the machine's: the training graph allocates
/// everything up front and an allocation failure is a crash, not an error.
enum TrainingMemoryCheck {
    /// A lower bound in bytes: float32 weights, gradients and two optimizer moments, plus every layer's output and
    /// its gradient for a whole batch (im2col and scratch buffers come on top). Saturates instead of overflowing.
    static func lowerBound(network: Network, batch: Int) -> Int {
        let totals = NetworkDescription(network).totals
        let (activations, overflow1) = totals.activationElements.multipliedReportingOverflow(by: batch)
        let (activationBytes, overflow2) = activations.multipliedReportingOverflow(by: 2 * 4)
        let (bytes, overflow3) = activationBytes.addingReportingOverflow(totals.parameters * 4 * 4)
        return overflow1 || overflow2 || overflow3 ? .max : bytes
    }

    static func require(network: Network, batch: Int, spec: String,
                        available: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        let needed = lowerBound(network: network, batch: batch)
        guard UInt64(needed) > available else { return }
        throw CLIError("\(spec): training needs more than \(gibibytes(UInt64(needed))) with --batch \(batch) "
            + "(weights, gradients, optimizer state and activations); this machine has \(gibibytes(available)); "
            + "use a smaller --batch or network")
    }

    private static func gibibytes(_ bytes: UInt64) -> String {
        bytes == UInt64(Int.max) ? "2^63 bytes" : NumberText.fixed(Double(bytes) / Double(1 << 30), decimals: 1) + " GiB"
    }
}
