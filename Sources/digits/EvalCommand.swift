import ArgumentParser
import Foundation
import ModelIO
import Reference

/// `digits eval`: accuracy on the MNIST test set, of a compiled int8 model or of a float spec with weights.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a model on the MNIST test set: a compiled int8 model, or a float32 spec with --weights.",
        discussion: """
            Two modes, chosen by the argument:
              digits eval best                          compiled int8 predictor (`digits list`)
              digits eval Specs/best.spec --weights W   float32, reference interpreter
            An argument ending in .spec, or any use of --weights, selects the float mode.
            Prints accuracy, throughput, the confusion matrix (rows: true class, columns: predicted) and per-class \
            precision/recall/F1/support like sklearn's classification_report. --misclassified out.png writes every \
            misclassified test digit as the model saw it, sorted by true class, labelled "true→predicted" (the \
            prediction in red). Data: --data DIR, else $DIGITS_DATA, else the repository's Data/mnist.
            """)

    @Argument(help: "A compiled model name (int8), or a .spec file (float32, needs --weights).")
    var model: String

    @Option(help: "The weights (.safetensors) for a spec's parameters; selects the float32 mode.")
    var weights: String?

    @Option(help: "Directory with the MNIST t10k files (default: the usual places).")
    var data: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "Evaluate only the first N test images.")
    var limit: Int?

    @Option(help: ArgumentHelp("Write a PNG grid of the misclassified digits with true→predicted labels.", valueName: "out.png"))
    var misclassified: String?

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path for a compiled model: portable, avx2 or avx512vnni.")
    var kernelPath: String?

    /// True when the argument names a float spec rather than a compiled model.
    var isFloatMode: Bool { weights != nil || model.hasSuffix(".spec") }

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, found \(limit)") }
    }

    func run() throws {
        try CLIError.reporting { try evaluate() }
    }

    private func evaluate() throws {
        if let misclassified { try OutputLocation.requireWritable(misclassified, for: "--misclassified") }
        let run: EvaluationRun
        if isFloatMode {
            guard let weights else {
                throw CLIError("\(model): a spec is evaluated in float32 and needs --weights W.safetensors; for the int8 predictor give a compiled model name (see `digits list`)")
            }
            if kernelPath != nil {
                throw CLIError("--kernel-path applies to compiled models only; \(model) is evaluated with the float32 reference interpreter")
            }
            run = try FloatEvaluation(spec: model, weights: weights).run(data: data, limit: limit)
        } else {
            let choice = try CompiledModelChoice(name: model, kernelPath: kernelPath)
            run = try CompiledEvaluation(choice: choice).run(data: data, limit: limit)
        }

        let wrote = try misclassified.map { path in
            (path, try MisclassifiedGrid(run: run).write(to: path))
        }
        if json {
            print(try run.json(), terminator: "")
        } else {
            print(run.title + "\n")
            print(EvaluationReport.text(run.evaluation, imagesPerSecond: run.imagesPerSecond), terminator: "")
        }
        if let (path, count) = wrote {
            let line = count == 0 ? "misclassified: none, \(path) not written" : "misclassified: \(count) digits, grid written to \(path)"
            // Keep stdout pure JSON in --json mode.
            if json { CLIError.printToStandardError(line) } else { print("\n" + line) }
        }
    }
}

/// What an evaluation produced, whichever mode ran it.
struct EvaluationRun {
    /// One line naming the model and how it ran.
    var title: String
    var evaluation: Evaluation
    /// The test images evaluated, 28×28 each, back to back (for the misclassified grid).
    var pixels: [UInt8]
    var imagesPerSecond: Double?
    /// Extra JSON keys before the evaluation's own (model name, hash, kernel path).
    var jsonHeader: [String: String] = [:]

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(header: jsonHeader, report: EvaluationReport.Document(evaluation, imagesPerSecond: imagesPerSecond)))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The report's document with a few string keys merged in at the top level.
    private struct Document: Encodable {
        var header: [String: String]
        var report: EvaluationReport.Document

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in header { try container.encode(value, forKey: Key(stringValue: key)) }
            try report.encode(to: encoder)
        }
    }
}
