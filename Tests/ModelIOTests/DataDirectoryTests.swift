import Foundation
import Testing
@testable import ModelIO

@Suite struct DataDirectoryTests {
    /// A directory laid out like a checkout: Package.swift, Data/mnist, and a nested working directory.
    private func makeRepository() throws -> URL {
        let root = try TestPaths.temporaryDirectory()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Data/mnist"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Sources/deep"), withIntermediateDirectories: true)
        try Data("// swift-tools-version:6.1\n".utf8).write(to: root.appendingPathComponent("Package.swift"))
        return root
    }

    @Test func explicitBeatsEnvironmentBeatsRepository() throws {
        let root = try makeRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let explicit = root.appendingPathComponent("Sources").path
        let environment = ["DIGITS_DATA": root.appendingPathComponent("Sources/deep").path]
        let current = root.appendingPathComponent("Sources/deep").path

        #expect(try DataDirectory.resolve(explicit: explicit, environment: environment, currentDirectory: current).path
            == root.appendingPathComponent("Sources").standardizedFileURL.path)
        #expect(try DataDirectory.resolve(explicit: nil, environment: environment, currentDirectory: current).path
            == root.appendingPathComponent("Sources/deep").standardizedFileURL.path)
        #expect(try DataDirectory.resolve(explicit: nil, environment: [:], currentDirectory: current).path
            == root.appendingPathComponent("Data/mnist").standardizedFileURL.path)
        // An empty variable counts as unset.
        #expect(try DataDirectory.resolve(explicit: nil, environment: ["DIGITS_DATA": ""], currentDirectory: current).path
            == root.appendingPathComponent("Data/mnist").standardizedFileURL.path)
    }

    @Test func relativePathsAreTakenFromTheCurrentDirectory() throws {
        let root = try makeRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let resolved = try DataDirectory.resolve(explicit: "Data/mnist", environment: [:], currentDirectory: root.path)
        #expect(resolved.path == root.appendingPathComponent("Data/mnist").standardizedFileURL.path)
    }

    @Test func errorsNameTheSourceOfTheBadPath() throws {
        let root = try makeRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: DataDirectory.ResolutionError(description: "--data /nonexistent-digits-data: no such directory")) {
            try DataDirectory.resolve(explicit: "/nonexistent-digits-data", environment: [:], currentDirectory: root.path)
        }
        #expect(throws: DataDirectory.ResolutionError(description: "$DIGITS_DATA=/nonexistent-digits-data: no such directory")) {
            try DataDirectory.resolve(explicit: nil, environment: ["DIGITS_DATA": "/nonexistent-digits-data"], currentDirectory: root.path)
        }
        let file = root.appendingPathComponent("Package.swift").path
        #expect(throws: DataDirectory.ResolutionError(description: "$DIGITS_DATA=\(file): not a directory")) {
            try DataDirectory.resolve(explicit: nil, environment: ["DIGITS_DATA": file], currentDirectory: root.path)
        }
    }

    @Test func fallsBackToTheCheckoutItWasBuiltFrom() throws {
        let elsewhere = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let resolved = try DataDirectory.resolve(explicit: nil, environment: [:], currentDirectory: elsewhere.path)
        #expect(resolved.path == TestPaths.committedMNIST.standardizedFileURL.path)
    }
}
