import ArgumentParser
import Foundation
import ModelIO

/// `digits data …`: getting and checking the MNIST files.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Download and verify the MNIST data files.",
        subcommands: [DataFetchCommand.self, DataVerifyCommand.self]
    )
}

struct DataFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download the four MNIST .gz files and check their SHA-256 sums.",
        discussion: "Files already present and valid are kept unless --force is given. SHA256SUMS in the target directory is updated."
    )

    @Option(name: .customLong("to"), help: ArgumentHelp("Directory to write to (default: Data/mnist of the repository).", valueName: "dir"))
    var directory: String?

    @Option(name: .customLong("mirror"), help: ArgumentHelp("Base URL of a mirror; repeat to give fallbacks (default: \(MNISTDownloader.defaultMirrors.joined(separator: ", "))).", valueName: "url"))
    var mirrors: [String] = []

    @Flag(help: "Download again even when a valid file is present.")
    var force = false

    func run() async throws {
        try await CLIError.reporting { try await fetch() }
    }

    private func fetch() async throws {
        let target = try targetDirectory()
        let downloader = try MNISTDownloader(
            directory: target, mirrors: mirrors.isEmpty ? MNISTDownloader.defaultMirrors : mirrors, force: force)
        let printer = FetchProgressPrinter(interactive: isatty(STDOUT_FILENO) != 0)
        do {
            let summary = try await downloader.run { printer.handle($0) }
            printer.finish()
            print("\(summary.downloaded.count) downloaded, \(summary.skipped.count) already present; SHA256SUMS in \(target.path)")
        } catch {
            printer.finish()
            throw error
        }
    }

    private func targetDirectory() throws -> URL {
        if let directory {
            let expanded = NSString(string: directory).expandingTildeInPath
            return URL(fileURLWithPath: expanded, isDirectory: true).standardizedFileURL
        }
        guard let repository = DataDirectory.repositoryDataDirectory() else {
            throw ValidationError("cannot find the repository's \(DataDirectory.repositorySubdirectory); pass --to DIR")
        }
        return repository
    }
}

struct DataVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the files of a data directory against its SHA256SUMS."
    )

    @Option(name: .customLong("data"), help: ArgumentHelp("Data directory (default: $DIGITS_DATA, else Data/mnist of the repository).", valueName: "dir"))
    var directory: String?

    func run() async throws {
        try CLIError.reporting { try verify() }
    }

    private func verify() throws {
        let target = try DataDirectory.resolve(explicit: directory)
        let results = try ChecksumVerifier.verify(directory: target)
        for result in results { print(result) }
        let failed = results.filter { !$0.status.isOK }.count
        guard failed == 0 else {
            throw DataCommandError(description: "\(failed) of \(results.count) entries in \(target.appendingPathComponent(ChecksumList.fileName).path) failed")
        }
        print("all \(results.count) entries match")
    }
}

struct DataCommandError: Error, CustomStringConvertible {
    var description: String
}
