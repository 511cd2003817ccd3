import ArgumentParser
import Foundation
import Generated
import Logging
import NIOCore
import Recognition
import Runtime
import Serving

/// `digits serve`: the recognition API and web page over HTTP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the recognition JSON API, the web page and metrics over HTTP.",
        discussion: "API reference: docs/api.md (and GET /api/v1/openapi.json). SIGTERM or SIGINT drains: /readyz "
            + "turns 503, in-flight requests finish, the process exits within --drain-timeout.")

    @Option(help: "Compiled model to serve.")
    var model = "best"

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0 = any free port).")
    var port = 8080

    @Option(name: .customLong("max-body"), help: "Largest request body, in bytes (suffixes k, M: 512k, 8M).")
    var maxBody = "8M"

    @Option(name: .customLong("max-pixels"), help: "Largest image, width × height, checked from the PNG header.")
    var maxPixels = ServeOptions().maxPixels

    @Option(name: .customLong("max-in-flight"), help: "Recognitions admitted at once; more get 503 (default: 32 × cores).")
    var maxInFlight: Int?

    @Option(help: "Recognition threads (0 = run on the request's task; default: cores).")
    var workers: Int?

    @Option(name: .customLong("max-connections"), help: "Open connections allowed; more are closed on accept.")
    var maxConnections = ServeOptions().maxConnections

    @Option(name: .customLong("idle-timeout"), help: "Seconds before an idle keep-alive connection is closed.")
    var idleTimeout: Double = 30

    @Option(name: .customLong("drain-timeout"), help: "Seconds in-flight requests get to finish after SIGTERM/SIGINT.")
    var drainTimeout: Double = 10

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path: portable, avx2 or avx512vnni.")
    var kernelPath: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info (one line per request), notice, warning, error.")
    var logLevel = "info"

    func run() async throws {
        try await CLIError.reporting {
            let options = try makeOptions()
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw ValidationError("--log-level: expected trace, debug, info, notice, warning, error or critical, got '\(logLevel)'")
            }
            let path: KernelPath
            do { path = try KernelPath.select(requested: kernelPath, environment: ProcessInfo.processInfo.environment, cpu: .current) }
            catch { throw ValidationError(String(describing: error)) }
            let entry: ModelRegistry.Entry
            do { entry = try ModelRegistry.all.lookup(model) } catch { throw CLIError(String(describing: error)) }

            var logger = Logger(label: "digits.serve")
            logger.logLevel = level
            let recognizer = Recognizer(entry: entry, path: path, maxPixels: options.maxPixels)
            let server = try DigitsServer(options: options, recognizer: recognizer, models: ModelRegistry.all.entries, logger: logger)
            do { try server.warmUp() } catch { throw CLIError("warm-up prediction failed: \(String(describing: error))") }
            let host = options.host
            do {
                try await server.run { port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    let line = "digits serve: model \(entry.info.name) (\(Kernels.effectivePath(path).rawValue)) listening on http://\(shown):\(port)/\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                throw CLIError("digits serve: cannot listen on \(host):\(options.port): address already in use")
            } catch let error as IOError {
                throw CLIError("digits serve: cannot listen on \(host):\(options.port): \(error.description)")
            }
        }
    }

    func makeOptions() throws -> ServeOptions {
        var options = ServeOptions()
        options.host = host
        guard (0...65535).contains(port) else { throw ValidationError("--port: expected 0…65535, got \(port)") }
        options.port = port
        options.maxBodyBytes = try Self.byteCount(maxBody, option: "--max-body")
        guard maxPixels > 0 else { throw ValidationError("--max-pixels: expected a positive count, got \(maxPixels)") }
        options.maxPixels = maxPixels
        if let maxInFlight {
            guard maxInFlight > 0 else { throw ValidationError("--max-in-flight: expected at least 1, got \(maxInFlight)") }
            options.maxInFlight = maxInFlight
        }
        if let workers {
            guard workers >= 0 else { throw ValidationError("--workers: expected 0 or more, got \(workers)") }
            options.workers = workers
        }
        guard maxConnections > 0 else { throw ValidationError("--max-connections: expected at least 1, got \(maxConnections)") }
        options.maxConnections = maxConnections
        guard idleTimeout > 0, idleTimeout.isFinite else { throw ValidationError("--idle-timeout: expected seconds > 0, got \(idleTimeout)") }
        options.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        guard drainTimeout >= 0, drainTimeout.isFinite else { throw ValidationError("--drain-timeout: expected seconds ≥ 0, got \(drainTimeout)") }
        options.drainTimeout = .milliseconds(Int64(drainTimeout * 1000))
        return options
    }

    /// "8388608", "512k", "8M" (binary multiples).
    static func byteCount(_ text: String, option: String) throws -> Int {
        var digits = text
        var multiplier = 1
        switch text.last {
        case "k", "K": multiplier = 1 << 10; digits.removeLast()
        case "m", "M": multiplier = 1 << 20; digits.removeLast()
        default: break
        }
        guard let value = Int(digits), value > 0, value <= Int.max / multiplier else {
            throw ValidationError("\(option): expected a byte count such as 8388608, 512k or 8M, got '\(text)'")
        }
        return value * multiplier
    }
}
