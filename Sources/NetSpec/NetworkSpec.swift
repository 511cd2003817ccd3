import Foundation

/// Entry points: spec text or a spec file in, a validated `Network` out.
public enum NetworkSpec {
    /// Parses spec source. `file` is used in diagnostics only.
    public static func parse(_ source: String, file: String = "<spec>") throws(SpecError) -> Network {
        var lexer = Lexer(source: source, file: file)
        let tokens = try lexer.tokenize()
        var parser = Parser(tokens: tokens)
        let syntax = try parser.parse()
        return try GraphBuilder(file: file).build(syntax)
    }

    /// Reads and parses a spec file; unreadable or non-UTF-8 files are reported as diagnostics at line 1.
    public static func load(path: String) throws(SpecError) -> Network {
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw SpecError(at: start, exists ? (isDirectory.boolValue ? "is a directory, expected a .spec file" : "cannot be read (permission denied?)")
                : "no such spec file")
        }
        guard let source = String(data: data, encoding: .utf8) else {
            throw SpecError(at: start, "spec file is not valid UTF-8 text")
        }
        return try parse(source, file: path)
    }
}
