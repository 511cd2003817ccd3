import ArgumentParser
import Foundation
import ModelIO
import NetSpec
import Runtime
import Training

/// `digits train`: trains a spec on MNIST's training images (minus a held-out validation tail) and writes
/// safetensors weights.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network spec on MNIST and write its weights (.safetensors).",
        discussion: """
            The last --validation training images are held out to report accuracy after every epoch; the test \
            set is never read (measure it with `digits eval`). Runs are deterministic for a given --seed and \
            --threads. With --checkpoint-dir the state after every epoch is saved; --resume continues such a \
            run exactly (its configuration comes from the checkpoint).
            """)

    @Argument(help: "The network spec (.spec file).")
    var spec: String

    @Option(help: "Directory with the MNIST training files (default: the usual places).")
    var data: String?

    @Option(help: "Passes over the training images.")
    var epochs = 15

    @Option(help: "Images per optimizer step.")
    var batch = 128

    @Option(help: "Peak learning rate (default: 0.003 for adam/adamw, 0.05 for sgd).")
    var lr: Float?

    @Option(help: "sgd (Nesterov momentum 0.9), adam or adamw.")
    var optimizer = "adamw"

    @Option(name: .customLong("weight-decay"),
            help: "Weight decay on convolution and dense weights (default: 5e-4 for sgd, 1e-4 for adam, 0.05 for adamw).")
    var weightDecay: Float?

    @Option(help: "Learning-rate schedule: onecycle, cosine or constant.")
    var schedule = "onecycle"

    @Option(help: "Warm-up: a fraction of all steps for onecycle, epochs for cosine.")
    var warmup: Double?

    @Option(name: .customLong("label-smoothing"), help: "Label smoothing ε (0 = plain cross-entropy).")
    var labelSmoothing: Float = 0

    @Option(help: "Seed for initialization, shuffling, augmentation and dropout.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads (results are reproducible per thread count).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Training images held out for validation.")
    var validation = 5_000

    @Flag(name: .customLong("no-augment"), help: "Train on the images as they are (no random shifts, rotations, scaling).")
    var noAugment = false

    @Option(help: "Where to write the trained weights (.safetensors).")
    var out: String

    @Option(help: "Per-epoch log, one JSON object per line.")
    var log: String?

    @Option(name: .customLong("checkpoint-dir"), help: "Directory for a checkpoint after every epoch.")
    var checkpointDir: String?

    @Option(help: "Continue from a checkpoint written with --checkpoint-dir.")
    var resume: String?

    func validate() throws {
        if epochs < 1 { throw ValidationError("--epochs must be at least 1, found \(epochs)") }
        if !(1...TrainingConfiguration.maximumBatchSize).contains(batch) {
            throw ValidationError("--batch must be in 1...\(TrainingConfiguration.maximumBatchSize), found \(batch)")
        }
        if !(1...64).contains(threads) { throw ValidationError("--threads must be in 1...64, found \(threads)") }
        if validation < 0 { throw ValidationError("--validation must be ≥ 0, found \(validation)") }
        if !["sgd", "adam", "adamw"].contains(optimizer) {
            throw ValidationError("--optimizer must be sgd, adam or adamw, found '\(optimizer)'")
        }
        if !["onecycle", "cosine", "constant"].contains(schedule) {
            throw ValidationError("--schedule must be onecycle, cosine or constant, found '\(schedule)'")
        }
        if let lr, !(lr > 0) { throw ValidationError("--lr must be a positive number, found \(lr)") }
        if let warmup, !(warmup >= 0 && warmup.isFinite) || (schedule == "onecycle" && warmup > 1) {
            throw ValidationError("--warmup must be a fraction in 0...1 for onecycle or epochs ≥ 0 for cosine, found \(warmup)")
        }
        if let weightDecay, !(weightDecay >= 0) { throw ValidationError("--weight-decay must be ≥ 0, found \(weightDecay)") }
    }

    func run() throws {
        try CLIError.reporting { try train() }
    }

    private var trainingConfiguration: TrainingConfiguration {
        let kind: TrainingConfiguration.Optimizer = switch optimizer {
        case "sgd": .sgd
        case "adam": .adam
        default: .adamW
        }
        let plan: TrainingConfiguration.Schedule = switch schedule {
        case "cosine": .cosine(warmupEpochs: warmup ?? 1)
        case "constant": .constant
        default: .oneCycle(warmupFraction: warmup ?? 0.2)
        }
        let defaultRate: Float = optimizer == "sgd" ? 0.05 : 3e-3
        let defaultDecay: Float = switch optimizer {
        case "sgd": 5e-4
        case "adam": 1e-4
        default: 0.05
        }
        return TrainingConfiguration(epochs: epochs, batchSize: batch, optimizer: kind, learningRate: lr ?? defaultRate,
                                     weightDecay: weightDecay ?? defaultDecay, schedule: plan,
                                     augmentation: noAugment ? .none : .handwriting, labelSmoothing: labelSmoothing,
                                     seed: seed, threads: threads)
    }

    private func train() throws {
        let cpu = CPUFeatures.current
        if cpu.architecture == "x86_64" && !(cpu.avx2 && cpu.fma) {
            throw CLIError("digits train needs a CPU with AVX2 and FMA (this one has: \(cpu.names.joined(separator: " ")))")
        }
        // Fail before hours of training, not after, when an output location cannot be written.
        for (flag, path) in [("--out", out), ("--log", log)] {
            guard let path else { continue }
            try OutputLocation.requireWritable(path, for: flag)
        }
        if let checkpointDir { try OutputLocation.requireWritableDirectory(checkpointDir, for: "--checkpoint-dir") }
        let network = try MNISTNetwork.load(spec: spec)
        let checkpoint = try resume.map { try Checkpoint.load(path: $0) }
        try TrainingMemoryCheck.require(network: network, batch: checkpoint?.configuration.batchSize ?? batch, spec: spec)
        let trainer: Trainer
        if let resume, let checkpoint {
            trainer = try Trainer(network: network, resuming: checkpoint, path: resume)
        } else {
            trainer = try Trainer(network: network, configuration: trainingConfiguration)
        }
        let configuration = trainer.configuration
        let dataset = try MNISTDataset.load(.train, from: DataDirectory.resolve(explicit: data))
        let all = try LabeledImages(pixels: dataset.images, labels: dataset.labels, pixelsPerImage: dataset.pixelsPerImage)
        let (training, held) = try all.splittingValidation(count: validation)
        let validationSet = held.count > 0 ? held : nil

        let progress = TrainingProgressPrinter(interactive: isatty(STDERR_FILENO) != 0)
        print("\(network.name): \(network.parameterCount) parameters, \(network.macs) MACs/image; "
              + "\(training.count) training images, \(held.count) validation; \(configuration.threads) threads, "
              + "seed \(configuration.seed)\(resume.map { ", resuming \($0) after epoch \(trainer.completedEpochs)" } ?? "")")
        let started = Date()
        let result = try trainer.train(training, validation: validationSet, progress: progress.handle) { trainer in
            if let checkpointDir {
                try trainer.checkpoint.write(to: URL(fileURLWithPath: checkpointDir)
                    .appendingPathComponent("\(network.name).checkpoint").path)
            }
            if let log {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let lines = try trainer.history.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
                try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: log)
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let final = result.history.last
        var metadata = ["network": network.name, "seed": String(configuration.seed), "epochs": String(configuration.epochs),
                        "threads": String(configuration.threads)]
        if let accuracy = final?.validationAccuracy { metadata["validation_accuracy"] = String(format: "%.4f", accuracy) }
        try WeightSet(tensors: result.parameters, metadata: metadata, source: out).save(to: out)
        let accuracy = final?.validationAccuracy.map { String(format: "%.2f %% on %d held-out training images", $0 * 100, held.count) }
            ?? "not measured (--validation 0)"
        print("trained \(network.name) in \(Self.duration(seconds)); final validation accuracy \(accuracy)")
        print("wrote \(out)")
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
