import ArgumentParser
import Foundation

/// A failure a command reports as plain lines on stderr — `file:line:col: error: message` for specs — and then
/// exits with status 1, without ArgumentParser's "Error:" prefix or usage text.
struct CLIError: Error, CustomStringConvertible {
    var lines: [String]

    init(_ message: String) { self.lines = [message] }
    init(lines: [String]) { self.lines = lines }

    var description: String { lines.joined(separator: "\n") }

    /// Runs `body`; if it throws, prints the error's description to stderr and throws `ExitCode.failure`.
    /// ArgumentParser's own errors (exit codes, clean exits, validation errors) pass through unchanged.
    static func reporting<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            throw report(error)
        }
    }

    static func reporting<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            throw report(error)
        }
    }

    private static func report(_ error: any Error) -> any Error {
        if error is ExitCode || error is CleanExit || error is ValidationError { return error }
        printToStandardError(String(describing: error))
        return ExitCode.failure
    }

    static func printToStandardError(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
