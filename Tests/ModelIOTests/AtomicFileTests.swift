import Foundation
import Testing
@testable import ModelIO

@Suite struct AtomicFileTests {
    func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("digits-atomic-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func writesAndReplacesWithoutLeavingTemporaries() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.txt").path
        try AtomicFile.write("first", to: path)
        try AtomicFile.write("second", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.txt"])
    }

    @Test func removesTemporariesOfDeadWritersOnly() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // 4194305 is above Linux's largest possible pid (2^22), so no process has it; our own pid is alive.
        let dead = ".out.txt.tmp-4194305-17"
        let alive = ".out.txt.tmp-\(getpid())-18"
        let other = ".other.txt.tmp-4194305-19"
        for name in [dead, alive, other] {
            #expect(FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: Data("x".utf8)))
        }
        try AtomicFile.write("done", to: directory.appendingPathComponent("out.txt").path)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == [alive, other, "out.txt"].sorted())
    }

    @Test func missingDirectoryIsOneClearError() throws {
        let error = #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("x", to: "/nonexistent-digits-dir/out.txt") }
        #expect(error?.description == "cannot write '/nonexistent-digits-dir/out.txt': directory '/nonexistent-digits-dir' does not exist")
    }
}
