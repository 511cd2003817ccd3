import Foundation
import NetSpec
import Reference

/// The float interpreter's batch size for a command, or a one-line refusal when one image's activations
/// already exceed what this machine can give (see `EvaluationBatch`).
enum EvaluationMemory {
    static func batchSize(network: Network, preferred: Int, threads: Int = 1, spec: String) throws -> Int {
        if let size = EvaluationBatch.size(network: network, preferred: preferred, threads: threads) { return size }
        let perImage = Double(EvaluationBatch.bytesPerImage(network)) / Double(1 << 30)
        let machine = Double(ProcessInfo.processInfo.physicalMemory) / Double(1 << 30)
        throw CLIError("\(spec): one image needs \(NumberText.fixed(perImage, decimals: 1)) GiB of float32 activations "
            + "\(threads > 1 ? "on each of \(threads) threads " : "")and this machine has \(NumberText.fixed(machine, decimals: 1)) GiB; "
            + "use a smaller network")
    }
}
