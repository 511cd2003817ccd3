import Foundation
import Testing
@testable import NetSpec

/// Shared helpers: parse inline spec text under the file name `t.spec`.
enum SpecText {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func parse(_ source: String) throws(SpecError) -> Network {
        try NetworkSpec.parse(source, file: "t.spec")
    }

    /// Every diagnostic as printed, or `[]` if the spec is valid.
    static func diagnostics(_ source: String) -> [String] {
        do {
            _ = try NetworkSpec.parse(source, file: "t.spec")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    /// A one-layer-input network around `body`: `input` first, then the given lines.
    static func network(input: String = "1x28x28", _ lines: String...) throws(SpecError) -> Network {
        try parse((["input \(input)"] + lines).joined(separator: "\n") + "\n")
    }

    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }
}
