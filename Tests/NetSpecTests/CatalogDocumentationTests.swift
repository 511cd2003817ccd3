import Foundation
import Testing
@testable import NetSpec

/// Specs/README.md documents every layer kind and every attribute with the catalog's default.
@Suite struct CatalogDocumentationTests {
    static let readme = (try? String(contentsOf: SpecText.repoRoot.appendingPathComponent("Specs/README.md"), encoding: .utf8)) ?? ""

    /// The README section whose `###` heading names `kind`, up to the next heading.
    static func section(for kind: LayerKind) -> String? {
        let sections = readme.components(separatedBy: "\n### ").dropFirst()
        return sections.first { $0.prefix(while: { $0 != "\n" }).contains("`\(kind.keyword)`") }
            .map { $0.components(separatedBy: "\n## ").first ?? $0 }
    }

    @Test(arguments: LayerKind.allCases)
    func everyAttributeIsDocumentedWithItsDefault(_ kind: LayerKind) throws {
        let section = try #require(Self.section(for: kind), "no '### `\(kind.keyword)`' section in Specs/README.md")
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(rows.count == LayerCatalog.attributes(of: kind).count)
        for attribute in LayerCatalog.attributes(of: kind) {
            let row = try #require(rows.first { $0.hasPrefix("| `\(attribute.name)` |") }, "\(kind.keyword).\(attribute.name)")
            let cells = row.replacingOccurrences(of: "\\|", with: "/").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let documentedDefault = cells.count > 2 ? cells[2] : ""
            if let value = attribute.defaultValue {
                #expect(documentedDefault.contains("`\(value)`"), "\(kind.keyword).\(attribute.name): \(documentedDefault)")
            } else {
                #expect(documentedDefault == "required", "\(kind.keyword).\(attribute.name)")
            }
        }
    }
}
