import Foundation
import Testing
@testable import Training

/// Checkpoints and configurations come from files and flags: bad values must be thrown errors, never traps.
@Suite struct CheckpointMalformedTests {
    private func checkpointFile(tensors: [Checkpoint.TensorEntry], payload: Int, completedEpochs: Int = 0) throws -> String {
        let header = Checkpoint.Header(network: "n", completedEpochs: completedEpochs, optimizerStep: 0,
                                       configuration: TrainingConfiguration(), history: [], tensors: tensors)
        let json = try JSONEncoder().encode(header)
        var bytes = Checkpoint.magic
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64(i)))) }
        bytes += json + [UInt8](repeating: 0, count: payload)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func rejectsAShapeWhoseElementCountOverflows() throws {
        let path = try checkpointFile(tensors: [.init(name: "w", shape: [1 << 40, 1 << 40])], payload: 8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: TrainingError.checkpoint(path: path, reason: "tensor 'w' ([1099511627776, 1099511627776]) runs past the end of the file at offset \(try Data(contentsOf: URL(fileURLWithPath: path)).count - 8)")) {
            try Checkpoint.load(path: path)
        }
    }

    @Test func rejectsAByteCountThatOverflows() throws {
        let path = try checkpointFile(tensors: [.init(name: "w", shape: [Int.max / 2])], payload: 8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: TrainingError.self) { try Checkpoint.load(path: path) }
    }

    @Test func loadsATensorThatFits() throws {
        let path = try checkpointFile(tensors: [.init(name: "w", shape: [2])], payload: 8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let checkpoint = try Checkpoint.load(path: path)
        #expect(checkpoint.tensors.map(\.name) == ["w"])
        #expect(checkpoint.tensors[0].tensor.scalars == [0, 0])
    }

    @Test func rejectsACompletedEpochCountOutsideTheRun() throws {
        let path = try checkpointFile(tensors: [], payload: 0, completedEpochs: -3)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: TrainingError.checkpoint(path: path, reason: "completedEpochs -3 / optimizerStep 0 are not counts within the run's 10 epochs")) {
            try Checkpoint.load(path: path)
        }
    }

    @Test func rejectsABatchTooLargeToAllocate() {
        #expect(throws: TrainingError.invalidConfiguration("batch size must be in 1...60000, found 99999999999")) {
            try TrainingConfiguration(batchSize: 99_999_999_999).validate()
        }
    }

    @Test func rejectsWarmupsThatMakeTheLearningRateNaN() {
        #expect(throws: TrainingError.invalidConfiguration("one-cycle warm-up must be a fraction in [0, 1], found nan")) {
            try TrainingConfiguration(schedule: .oneCycle(warmupFraction: .nan)).validate()
        }
        #expect(throws: TrainingError.invalidConfiguration("cosine warm-up must be a finite number of epochs ≥ 0, found -1.0")) {
            try TrainingConfiguration(schedule: .cosine(warmupEpochs: -1)).validate()
        }
    }
}
