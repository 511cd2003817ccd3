import Foundation

/// Finds the directory holding the MNIST files: `--data DIR`, then `$DIGITS_DATA`, then the repository's
/// `Data/mnist` (searched upward from the current directory, then the checkout this binary was built from).
public enum DataDirectory {
    public static let environmentVariable = "DIGITS_DATA"
    public static let repositorySubdirectory = "Data/mnist"

    public struct ResolutionError: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
    }

    /// A split's file is absent from an otherwise valid directory.
    public struct MissingFileError: Error, CustomStringConvertible, Sendable, Equatable {
        public var fileName: String
        public var directory: URL
        public var split: MNISTSplit

        public var description: String {
            let shown = DataDirectory.displayPath(directory)
            let testSetPresent = FileManager.default.fileExists(
                atPath: directory.appendingPathComponent(MNISTSplit.test.imagesFileName + ".gz").path)
            if split == .train && testSetPresent {
                let why = DataDirectory.isRepositoryData(directory) ? "the repo ships only the test set" : "only the t10k test set is there"
                return "\(fileName) not found in \(shown) (\(why)); run `digits data fetch` or pass --data DIR / set \(DataDirectory.environmentVariable)"
            }
            return "\(fileName) not found in \(shown) (nor the uncompressed \(fileName.replacingOccurrences(of: ".gz", with: ""))); run `digits data fetch` or pass --data DIR / set \(DataDirectory.environmentVariable)"
        }
    }

    public static func resolve(
        explicit: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ResolutionError) -> URL {
        try resolve(explicit: explicit, environment: environment, currentDirectory: FileManager.default.currentDirectoryPath)
    }

    public static func resolve(explicit: String?, environment: [String: String], currentDirectory: String) throws(ResolutionError) -> URL {
        if let explicit {
            return try existingDirectory(explicit, from: currentDirectory, source: "--data \(explicit)")
        }
        if let variable = environment[environmentVariable], !variable.isEmpty {
            return try existingDirectory(variable, from: currentDirectory, source: "$\(environmentVariable)=\(variable)")
        }
        if let repository = repositoryDataDirectory(searchingFrom: currentDirectory) {
            return repository
        }
        throw ResolutionError(description: "no MNIST data directory: pass --data DIR, set \(environmentVariable), or run inside the Digits repository (which has \(repositorySubdirectory))")
    }

    /// `Data/mnist` of the repository around `currentDirectory`, else of the checkout this was built from.
    public static func repositoryDataDirectory(searchingFrom currentDirectory: String = FileManager.default.currentDirectoryPath) -> URL? {
        var candidate = URL(fileURLWithPath: currentDirectory, isDirectory: true).standardizedFileURL
        while true {
            if let data = dataDirectory(inRepository: candidate) { return data }
            let parent = candidate.deletingLastPathComponent().standardizedFileURL
            if parent.path == candidate.path { break }
            candidate = parent
        }
        return dataDirectory(inRepository: buildRepositoryRoot)
    }

    /// The repository this file was compiled in: Sources/ModelIO/DataDirectory.swift → three levels up.
    static let buildRepositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static func dataDirectory(inRepository root: URL) -> URL? {
        let manifest = root.appendingPathComponent("Package.swift").path
        let data = root.appendingPathComponent(repositorySubdirectory, isDirectory: true)
        guard FileManager.default.fileExists(atPath: manifest), isDirectory(data.path) else { return nil }
        return data
    }

    static func isRepositoryData(_ directory: URL) -> Bool {
        let standardized = directory.standardizedFileURL
        let root = standardized.deletingLastPathComponent().deletingLastPathComponent()
        return standardized.path.hasSuffix("/" + repositorySubdirectory)
            && FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
    }

    /// Paths inside the current directory print relative to it, so messages read like the user typed them.
    static func displayPath(_ directory: URL) -> String {
        let path = directory.standardizedFileURL.path
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        if path.hasPrefix(current + "/") { return String(path.dropFirst(current.count + 1)) }
        return path
    }

    private static func existingDirectory(_ path: String, from currentDirectory: String, source: String) throws(ResolutionError) -> URL {
        let expanded = NSString(string: path).expandingTildeInPath
        let url = expanded.hasPrefix("/")
            ? URL(fileURLWithPath: expanded, isDirectory: true)
            : URL(fileURLWithPath: currentDirectory, isDirectory: true).appendingPathComponent(expanded, isDirectory: true)
        var directory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) else {
            throw ResolutionError(description: "\(source): no such directory")
        }
        guard directory.boolValue else {
            throw ResolutionError(description: "\(source): not a directory")
        }
        return url.standardizedFileURL
    }

    private static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
