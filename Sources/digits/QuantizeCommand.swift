import ArgumentParser
import Foundation
import ModelIO
import NetSpec
import Quantization
import Reference

/// `digits quantize`: float weights → int8 `.q8` artifact, and the report card comparing it with float.
struct QuantizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a spec's float weights to int8 (.q8) and print the report card.",
        discussion: "Calibrates on training images (never the test set), folds batchnorm, quantizes weights per "
            + "channel and activations per tensor (docs/quantization.md), writes the artifact, then compares int8 "
            + "with float on the test set: per-layer SQNR, error and saturation, accuracy, agreement, flipped images.")

    @Argument(help: "The network spec (.spec file).")
    var spec: String

    @Option(help: "The float weights (.safetensors) for the spec.")
    var weights: String

    @Option(help: "How activation ranges are chosen: minmax, percentile, mse, kl or auto (best SQNR per tensor).")
    var calibration: String = CalibrationMethod.auto.rawValue

    @Option(name: .customLong("calibration-images"), help: "Training images to calibrate on.")
    var calibrationImages: Int = 1000

    @Option(help: "Directory with the MNIST files, training set included (default: $DIGITS_DATA, then Data/mnist).")
    var data: String?

    @Option(help: "Where to write the int8 model (.q8).")
    var out: String

    @Option(name: .customLong("eval-images"), help: "Evaluate on the first N test images only (default: all).")
    var evalImages: Int?

    @Option(help: "Threads for the evaluation.")
    var threads: Int = 2

    @Flag(help: "Print the report card as JSON.")
    var json = false

    func validate() throws {
        guard CalibrationMethod(rawValue: calibration) != nil else {
            throw ValidationError("--calibration must be one of \(CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", ")), found '\(calibration)'")
        }
        guard calibrationImages >= 1 else { throw ValidationError("--calibration-images must be at least 1, found \(calibrationImages)") }
        if let evalImages, evalImages < 1 { throw ValidationError("--eval-images must be at least 1, found \(evalImages)") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be in 1…64, found \(threads)") }
    }

    func run() async throws {
        try await CLIError.reporting { try await quantize() }
    }

    private func quantize() async throws {
        let method = CalibrationMethod(rawValue: calibration) ?? .auto
        let job = try QuantizationJob.load(spec: spec, weights: weights)
        let network = job.network
        guard network.outputShape == Shape(features: 10) else {
            throw CLIError("\(spec): the network outputs \(network.outputShape) scores, MNIST has 10 classes")
        }
        // Fail before the long calibration, not after it.
        try OutputLocation.requireWritable(out, for: "--out")
        let directory = try DataDirectory.resolve(explicit: data)

        let train = try MNISTDataset.load(.train, from: directory)
        try checkShape(network, train)
        // The test set too, so a directory without it fails before an artifact is written, not after.
        let test = try MNISTDataset.load(.test, from: directory)
        try checkShape(network, test)
        let calibrationSet = QuantizationJob.calibrationImages(from: train, count: calibrationImages)
        let batch = try EvaluationMemory.batchSize(network: network, preferred: 50, threads: threads, spec: spec)
        let progress = Progress(label: "calibrating (\(method), \(calibrationSet.count) training images)")
        let output = try job.quantize(calibration: calibrationSet, method: method, batchSize: batch) { pass, done, total in
            progress.update("pass \(pass)/2", done, total)
        }
        progress.finish()
        try output.artifact.write(to: out)

        let evaluated = min(evalImages ?? test.count, test.count)
        let testSet = test.subset(0..<evaluated)
        let evaluationProgress = Progress(label: "evaluating float vs int8 on \(evaluated) test images")
        let evaluation = try QuantizedEvaluation.run(
            model: output.artifact.model, folded: output.folded, pixels: testSet.images,
            labels: testSet.labels.map(Int.init), batchSize: batch, threads: threads) { done, total in
            evaluationProgress.update("", done, total)
        }
        evaluationProgress.finish()
        let report = QuantizationReport(artifact: output.artifact, folded: output.folded, evaluation: evaluation)
        print(json ? report.json() : report.text())
        if !json { print("wrote \(out)") }
    }

    private func checkShape(_ network: Network, _ dataset: MNISTDataset) throws {
        let mnist = Shape(channels: 1, height: dataset.rows, width: dataset.columns)
        guard network.input.shape == mnist else {
            throw CLIError("\(spec): input is \(network.input.shape) but MNIST images are \(mnist)")
        }
    }
}

/// One-line progress on stderr: redrawn in place on a terminal, a line per quarter otherwise.
final class Progress: @unchecked Sendable {
    private let label: String
    private let terminal = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var lastQuarter = -1
    private var phase = ""
    private var start = Date()

    init(label: String) { self.label = label }

    func update(_ phase: String, _ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        if phase != self.phase {
            if terminal && !self.phase.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
            self.phase = phase
            start = Date()
            lastQuarter = -1
        }
        let percent = total == 0 ? 100 : 100 * done / total
        let rate = Double(done) / max(Date().timeIntervalSince(start), 1e-3)
        let text = "\(label)\(phase.isEmpty ? "" : " \(phase)"): \(done)/\(total) (\(percent) %, \(Int(rate)) img/s)"
        if terminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        } else if percent / 25 != lastQuarter {
            lastQuarter = percent / 25
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        }
    }

    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
