import ArgumentParser
import Foundation
import Recognition

/// `digits read MODEL IMAGE`: a number written in one row (an amount, a code), digit by digit.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read a multi-digit number written in one row of a PNG with a compiled model.",
        discussion: """
            The digits are segmented (connected components; broken strokes merged, touching digits split), each \
            is preprocessed like a single digit and recognized. Prints the string, then per digit its confidence \
            and the box of its ink in the image (pixels, origin top left). Fails with one line naming the file \
            when the image is unusable or holds no ink.
            """)

    @Argument(help: "A compiled model (see `digits list`).")
    var model: String

    @Argument(help: "A PNG with digits written in one row.")
    var image: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path: portable, avx2 or avx512vnni.")
    var kernelPath: String?

    func run() throws {
        let failed = try CLIError.reporting { try readNumber() }
        if failed { throw ExitCode.failure }
    }

    /// Returns true when the image could not be read (already reported on stderr).
    private func readNumber() throws -> Bool {
        let choice = try CompiledModelChoice(name: model, kernelPath: kernelPath)
        let outcome: Result<(NumberReading, StageTimes), RecognitionError>
        do { outcome = .success(try choice.recognizer().read(pngFile: image)) }
        catch { outcome = .failure(error) }
        if case .failure(let error) = outcome { CLIError.printToStandardError(error.description) }
        if json {
            let document = RecognitionJSON.ReadDocument(model: choice.info.name, modelSHA256: choice.info.weightsSHA256, file: image, outcome: outcome)
            print(try RecognitionJSON.text(document), terminator: "")
        } else if case .success(let (reading, times)) = outcome {
            let report = RecognitionText(labels: choice.info.labels, style: .forStandardOutput())
            print(report.reading(file: image, reading, times: times), terminator: "")
        }
        if case .failure = outcome { return true }
        return false
    }
}
