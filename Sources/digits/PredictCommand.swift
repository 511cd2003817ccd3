import ArgumentParser
import Foundation
import Imaging
import ModelIO
import Recognition

/// `digits predict MODEL IMAGE…`: one handwritten digit per PNG, with every class's probability.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Recognize one handwritten digit in each PNG with a compiled model.",
        discussion: """
            Any PNG works (every colour type and bit depth, palette, alpha composited on white, 16-bit, interlaced); \
            the digit is found, cropped, fitted to 20×20 and centred in 28×28 like MNIST. Prints the digit, its \
            confidence, a bar chart of all ten probabilities (▶ marks the prediction; colour only on a terminal \
            without NO_COLOR), the top-K list and the time per stage.
            An image that fails (not a PNG, truncated or corrupt, over the pixel limit, a blank page) gets one \
            line on stderr naming the file; the others are still processed, and the exit status is 1.
            --debug-preprocess out.png writes the 28×28 input the model saw, enlarged ×8 (224×224, ink white); \
            with several images the files are out-1.png, out-2.png, … numbered by the image's position.
            """)

    @Argument(help: "A compiled model (see `digits list`).")
    var model: String

    @Argument(help: "PNG files, each holding one digit.")
    var images: [String]

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Option(help: "How many of the most probable digits to list (1–10).")
    var top = 3

    @Option(name: .customLong("debug-preprocess"), help: ArgumentHelp("Write the 28×28 the model saw, enlarged ×8, as a PNG.", valueName: "out.png"))
    var debugPreprocess: String?

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path: portable, avx2 or avx512vnni.")
    var kernelPath: String?

    /// Enlargement of `--debug-preprocess` images.
    static let debugScale = 8

    func run() throws {
        let failures = try CLIError.reporting { try predictAll() }
        if failures > 0 { throw ExitCode.failure }
    }

    /// Returns how many images failed (each already reported on stderr).
    private func predictAll() throws -> Int {
        let choice = try CompiledModelChoice(name: model, kernelPath: kernelPath)
        let classes = choice.info.classes
        guard (1...classes).contains(top) else {
            throw CLIError("--top must be between 1 and \(classes), found \(top)")
        }
        if let debugPreprocess { try OutputLocation.requireWritable(debugPreprocess, for: "--debug-preprocess") }
        let recognizer = choice.recognizer()
        let report = RecognitionText(labels: choice.info.labels, style: json ? .plain : .forStandardOutput())
        var results: [RecognitionJSON.PredictResult] = []
        var failures = 0
        for (index, file) in images.enumerated() {
            do {
                let (prediction, times) = try recognizer.predict(pngFile: file)
                results.append(.init(file: file, outcome: .success((prediction, times, top: top))))
                var text = report.prediction(file: file, prediction, times: times, top: top)
                if let debugPreprocess {
                    let path = images.count == 1 ? debugPreprocess : Self.numbered(debugPreprocess, index + 1)
                    let picture = DigitPictures.enlarge(prediction.input.pixels, size: prediction.input.size, scale: Self.debugScale)
                    do {
                        try PNGEncoder.write(picture, to: path)
                        text += "model input (\(prediction.input.size)×\(prediction.input.size) enlarged ×\(Self.debugScale)): \(path)\n"
                    } catch {
                        CLIError.printToStandardError("--debug-preprocess: \(error.description)")
                        failures += 1
                    }
                }
                if !json { print(text, terminator: images.count > 1 && index < images.count - 1 ? "\n" : "") }
            } catch {
                CLIError.printToStandardError(error.description)
                results.append(.init(file: file, outcome: .failure(error)))
                failures += 1
            }
        }
        if json {
            let document = RecognitionJSON.PredictDocument(model: choice.info.name, modelSHA256: choice.info.weightsSHA256, results: results)
            print(try RecognitionJSON.text(document), terminator: "")
        }
        return failures
    }

    /// `out.png`, 3 → `out-3.png` (the number goes before the extension, if any).
    static func numbered(_ path: String, _ number: Int) -> String {
        let slash = path.lastIndex(of: "/")
        if let dot = path.lastIndex(of: "."), slash.map({ dot > $0 }) ?? true, dot != path.startIndex,
           path[path.index(before: dot)] != "/" {
            return String(path[..<dot]) + "-\(number)" + String(path[dot...])
        }
        return path + "-\(number)"
    }
}
