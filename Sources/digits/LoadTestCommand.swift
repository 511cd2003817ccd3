import ArgumentParser
import Foundation
import Generated
import LoadTesting
import ModelIO
import Recognition
import Runtime

/// `digits loadtest`: closed- or open-loop load on the recognizer in-process, or on a server over HTTP.
struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Load-test recognition in-process (MODEL) or a running server (--url), closed or open loop.",
        discussion: """
            Without --rate: a closed loop, N workers sending back to back. With --rate R: an open loop, requests due \
            every 1/R s and taken by a pool of N workers (connections); latency counts from each request's due time \
            (coordinated omission corrected) and the plain service time is reported beside it. Requests are PNGs of \
            MNIST test digits (Data/mnist or --data); in-process each runs decode + preprocessing + inference and \
            the answer is checked. Build with -c release for meaningful numbers.
            """)

    @Argument(help: "Model name for an in-process test (omit with --url).")
    var model: String?

    @Option(help: "Workers (closed loop) or the worker/connection pool (open loop).")
    var concurrency: Int

    @Option(help: "Open loop: requests per second (omit for a closed loop).")
    var rate: Double?

    @Option(help: "Seconds measured.")
    var duration: Double

    @Option(help: "Seconds run first and left out of the results.")
    var warmup: Double = 0

    @Flag(help: "Print the result as JSON instead of the report.")
    var json = false

    @Option(help: "Write a chart of throughput and latency over time (.svg, or .html with the report).")
    var chart: String?

    @Option(help: "A server's root, e.g. http://127.0.0.1:8080, instead of an in-process model.")
    var url: String?

    @Option(help: "HTTP scenario: predict, or page-and-predict (1 GET / per 10 predicts).")
    var scenario: String = HTTPTarget.Scenario.predict.rawValue

    @Option(help: "HTTP: seconds to wait for each response before counting it as failed.")
    var timeout: Double = 30

    @Option(name: .customLong("kernel-path"), help: "In-process: force a kernel path (portable, avx2, avx512vnni).")
    var kernelPath: String?

    @Option(help: "MNIST data directory (default: the repository's Data/mnist).")
    var data: String?

    func run() async throws {
        try await CLIError.reporting {
            let configuration = LoadTestConfiguration(concurrency: concurrency, rate: rate, duration: duration, warmup: warmup)
            if let problem = configuration.problems.first { throw CLIError(problem) }
            if let chart, !(chart.hasSuffix(".svg") || chart.hasSuffix(".html")) {
                throw CLIError("--chart \(chart): the file name must end in .svg or .html")
            }
            let result: LoadTestResult
            if let url {
                if model != nil { throw CLIError("give either MODEL (in-process) or --url (a server), not both") }
                guard let scenario = HTTPTarget.Scenario(rawValue: scenario) else {
                    throw CLIError("--scenario \(self.scenario): expected one of \(HTTPTarget.Scenario.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard timeout > 0, timeout <= 3_600 else { throw CLIError("--timeout must be > 0 and ≤ 3600 seconds, got \(timeout)") }
                let images = try Self.pngDigits(data: data, count: 100)
                let target = try HTTPTarget(url: url, scenario: scenario, images: images, timeout: timeout)
                result = try await run(target, configuration)
            } else {
                guard let model else { throw CLIError("give a MODEL for an in-process test, or --url for a server") }
                let entry = try ModelRegistry.all.lookup(model)
                let path = try KernelPath.select(requested: kernelPath, environment: ProcessInfo.processInfo.environment, cpu: .current)
                let recognizer = Recognizer(entry: entry, path: path)
                let dataset = try MNISTDataset.load(.test, dataDirectory: data)
                let samples = try RecognitionTarget.samples(from: dataset, recognizer: recognizer, count: 100)
                result = try await run(RecognitionTarget(recognizer: recognizer, samples: samples), configuration)
            }
            if let chart {
                try AtomicFile.write(chart.hasSuffix(".html") ? LoadTestChart.html(result) : LoadTestChart.svg(result), to: chart)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                print(LoadTestReport.text(result), terminator: "")
            }
        }
    }

    private func run<Target: LoadTarget>(_ target: Target, _ configuration: LoadTestConfiguration) async throws -> LoadTestResult {
        if BuildMode.isDebug { CLIError.printToStandardError(BuildMode.debugWarning) }
        let printer = LoadProgressPrinter(interactive: isatty(STDERR_FILENO) != 0)
        let result = try await LoadTester(target: target, configuration: configuration)
            .run(progressInterval: printer.interval) { printer.show($0) }
        printer.finish()
        return result
    }

    /// The first `count` test digits as dark-on-light PNGs (what a scan or a canvas upload looks like).
    static func pngDigits(data: String?, count: Int) throws -> [[UInt8]] {
        let dataset = try MNISTDataset.load(.test, dataDirectory: data)
        return try (0..<min(count, dataset.count)).map { index in
            try PNGEncoder.encode(GrayImage(width: dataset.columns, height: dataset.rows,
                                            pixels: dataset.image(index).map { 255 - $0 }))
        }
    }
}
