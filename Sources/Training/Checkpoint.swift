import Foundation
import ModelIO
import NetSpec

/// Everything needed to continue a run exactly: weights, batchnorm statistics, optimizer moments and step, the
/// configuration and the epoch log. File layout: the 8 bytes `DGTCKPT1`, a little-endian UInt64 header length,
/// a JSON header, then the tensors as little-endian float32 in header order.
public struct Checkpoint: Sendable {
    struct TensorEntry: Codable {
        var name: String
        var shape: [Int]
    }

    struct Header: Codable {
        var network: String
        var completedEpochs: Int
        var optimizerStep: Int
        var configuration: TrainingConfiguration
        var history: [EpochSummary]
        var tensors: [TensorEntry]
    }

    static let magic = Array("DGTCKPT1".utf8)

    public var network: String
    public var completedEpochs: Int
    public var configuration: TrainingConfiguration
    public var history: [EpochSummary]
    var optimizerStep: Int
    var tensors: [(name: String, tensor: Tensor)]

    /// Reads and validates a checkpoint file.
    public static func load(path: String) throws(TrainingError) -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .checkpoint(path: path, reason: "cannot be read (missing or not a file)")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else {
            throw .checkpoint(path: path, reason: "not a digits checkpoint (expected the bytes 'DGTCKPT1' at offset 0)")
        }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(bytes[8 + i]) << (8 * UInt64(i)) }
        guard length <= UInt64(bytes.count - 16) else {
            throw .checkpoint(path: path, reason: "header length \(length) exceeds the file size \(bytes.count)")
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + Int(length))]))
        } catch {
            throw .checkpoint(path: path, reason: "header is not valid JSON: \(error)")
        }
        guard (0...header.configuration.epochs).contains(header.completedEpochs), header.optimizerStep >= 0 else {
            throw .checkpoint(path: path, reason: "completedEpochs \(header.completedEpochs) / optimizerStep \(header.optimizerStep) "
                + "are not counts within the run's \(header.configuration.epochs) epochs")
        }
        var offset = 16 + Int(length)
        var tensors: [(String, Tensor)] = []
        for entry in header.tensors {
            // Shapes come from the file: a product that overflows must be rejected, not trap.
            var count = 1
            var fits = entry.shape.allSatisfy { $0 >= 0 }
            for size in entry.shape where fits {
                let (product, overflow) = count.multipliedReportingOverflow(by: size)
                count = product
                fits = !overflow
            }
            guard fits, count <= (bytes.count - offset) / 4 else {
                throw .checkpoint(path: path, reason: "tensor '\(entry.name)' (\(entry.shape)) runs past the end of the file at offset \(offset)")
            }
            var scalars = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let at = offset + 4 * i
                let bits = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
                scalars[i] = Float(bitPattern: bits)
            }
            tensors.append((entry.name, Tensor(shape: entry.shape, scalars: scalars)))
            offset += count * 4
        }
        return Checkpoint(network: header.network, completedEpochs: header.completedEpochs,
                          configuration: header.configuration, history: header.history,
                          optimizerStep: header.optimizerStep, tensors: tensors)
    }

    /// Serializes the checkpoint and writes it atomically.
    public func write(to path: String) throws {
        let header = Header(network: network, completedEpochs: completedEpochs, optimizerStep: optimizerStep,
                            configuration: configuration, history: history,
                            tensors: tensors.map { TensorEntry(name: $0.name, shape: $0.tensor.shape) })
        let json = try JSONEncoder().encode(header)
        var bytes = Self.magic
        let length = UInt64(json.count)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(i)))) }
        bytes.append(contentsOf: json)
        bytes.reserveCapacity(bytes.count + tensors.reduce(0) { $0 + $1.tensor.count * 4 })
        for (_, tensor) in tensors {
            for value in tensor.scalars {
                let bits = value.bitPattern
                bytes.append(UInt8(truncatingIfNeeded: bits))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
            }
        }
        try AtomicFile.write(Data(bytes), to: path)
    }
}

extension Trainer {
    /// The state after the last completed epoch.
    public var checkpoint: Checkpoint {
        var tensors: [(String, Tensor)] = []
        let store = graph.store
        for (p, spec) in store.specs.enumerated() {
            tensors.append(("parameter:" + spec.name, Tensor(shape: spec.shape, scalars: store.values[p].array)))
        }
        for (p, spec) in store.specs.enumerated() where optimizer.first[p].count > 0 {
            tensors.append(("moment1:" + spec.name, Tensor(shape: spec.shape, scalars: optimizer.first[p].array)))
        }
        for (p, spec) in store.specs.enumerated() where optimizer.second[p].count > 0 {
            tensors.append(("moment2:" + spec.name, Tensor(shape: spec.shape, scalars: optimizer.second[p].array)))
        }
        return Checkpoint(network: network.name, completedEpochs: completedEpochs, configuration: configuration,
                          history: history, optimizerStep: optimizer.step, tensors: tensors)
    }

    /// A trainer positioned where `checkpoint` left off; its configuration is the checkpoint's.
    public convenience init(network: Network, resuming checkpoint: Checkpoint, path: String) throws(TrainingError) {
        guard checkpoint.network == network.name else {
            throw .checkpoint(path: path, reason: "was written for network '\(checkpoint.network)', not '\(network.name)'")
        }
        var byName: [String: Tensor] = [:]
        for (name, tensor) in checkpoint.tensors { byName[name] = tensor }
        var parameters: [String: Tensor] = [:]
        for spec in network.parameters {
            guard let tensor = byName["parameter:" + spec.name] else {
                throw .checkpoint(path: path, reason: "has no tensor 'parameter:\(spec.name)'")
            }
            parameters[spec.name] = tensor
        }
        do {
            try self.init(network: network, configuration: checkpoint.configuration, initialParameters: parameters)
        } catch {
            throw .checkpoint(path: path, reason: "\(error)")
        }
        for (p, spec) in graph.store.specs.enumerated() {
            for (prefix, buffers) in [("moment1:", optimizer.first), ("moment2:", optimizer.second)] where buffers[p].count > 0 {
                guard let tensor = byName[prefix + spec.name], tensor.count == buffers[p].count else {
                    throw .checkpoint(path: path, reason: "has no optimizer state '\(prefix)\(spec.name)' with \(buffers[p].count) values")
                }
                buffers[p].copy(from: tensor.scalars)
            }
        }
        optimizer.step = checkpoint.optimizerStep
        restoreProgress(completedEpochs: checkpoint.completedEpochs, history: checkpoint.history)
    }
}
