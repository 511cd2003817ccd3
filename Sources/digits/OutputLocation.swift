import Foundation

/// Checks, before minutes or hours of work, that a command will be able to write its output file.
enum OutputLocation {
    /// Throws when `path` is a directory, its directory is missing, or no file can be created there.
    static func requireWritable(_ path: String, for flag: String) throws {
        guard !path.isEmpty else { throw CLIError("\(flag): expected a file name, found an empty string") }
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CLIError("\(flag): '\(path)' is a directory, expected a file name")
        }
        try requireWritableDirectory(parentDirectory(of: path), for: flag)
    }

    /// Throws when `directory` is missing or no file can be created in it (probed with a file removed again:
    /// permission bits say nothing for root or read-only mounts).
    static func requireWritableDirectory(_ directory: String, for flag: String) throws {
        try requireDirectory(directory, for: flag)
        let probe = directory + "/.digits-write-check-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw CLIError("\(flag): cannot create files in directory '\(directory)': \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        unlink(probe)
    }

    private static func requireDirectory(_ path: String, for flag: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("\(flag): directory '\(path)' does not exist")
        }
    }

    /// Plain string work: corelibs Foundation's `NSString.deletingLastPathComponent` traps on one-character
    /// names such as `x`.
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = path[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }
}
