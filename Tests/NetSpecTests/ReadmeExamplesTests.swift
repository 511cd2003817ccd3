import Foundation
import Testing
@testable import NetSpec

/// The examples in Specs/README.md must stay valid specs with the numbers the text implies.
@Suite struct ReadmeExamplesTests {
    /// The first fenced code block after `heading`.
    static func example(after heading: String) throws -> String {
        let readme = try String(contentsOf: SpecText.repoRoot.appendingPathComponent("Specs/README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: heading))
        let open = try #require(readme.range(of: "```\n", range: section.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "```", range: open.upperBound..<readme.endIndex))
        return String(readme[open.upperBound..<close.lowerBound])
    }

    @Test func introductionExampleIsTheSeedSpec() throws {
        let network = try NetworkSpec.parse(try Self.example(after: "# The network spec language"), file: "intro.spec")
        #expect(network.name == "seed")
        #expect(network.parameterCount == 203_434)
    }

    @Test func residualBlockExampleParses() throws {
        let network = try NetworkSpec.parse(try Self.example(after: "### Example: a residual block"), file: "block.spec")
        #expect(network.name == "resblock")
        #expect(network.layer(named: "sum")?.inputs == [.layer(7), .layer(9)])
        #expect(network.layer(named: "proj")?.inputs == [.layer(2)])
        #expect(network.parameterCount == 15_258)
        #expect(network.trainableParameterCount == 15_034)
        #expect(network.macs == 2_923_072)
    }
}
