#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

/// The real binary under a real signal: SIGTERM stops it cleanly, with its drain logged, well inside the bound.
@Suite struct ServeSignalTests {
    struct Timeout: Error, CustomStringConvertible { var description: String }

    @Test func sigtermDrainsAndExitsZero() throws {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["serve", "--port", "0", "--drain-timeout", "3"]
        process.currentDirectoryURL = CLIRunner.repoRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Wait for "… listening on http://127.0.0.1:PORT/".
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        while !printed.contains("listening on http://127.0.0.1:") {
            guard Date() < deadline else { throw Timeout(description: "no listening line within 60 s; stdout: \(printed)") }
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        #expect(printed.hasPrefix("digits serve: model best ("))

        let signalled = Date()
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning && Date().timeIntervalSince(signalled) < 10 { Thread.sleep(forTimeInterval: 0.05) }
        let took = Date().timeIntervalSince(signalled)
        #expect(!process.isRunning, "still running 10 s after SIGTERM")
        #expect(took < 5, "took \(took) s to exit after SIGTERM (drain timeout 3 s)")
        guard !process.isRunning else { return }
        #expect(process.terminationStatus == 0)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("shutting down: draining 0 request(s) in flight"))
        #expect(log.contains("stopped"))
    }
}
