import ArgumentParser
import Foundation
import NetSpec

/// `digits summary SPEC [--json]`: what a spec builds, layer by layer, with parameter, compute and memory totals.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Show a network's layers, output shapes, parameters, multiply-accumulates and activation memory.",
        discussion: """
            Parses and checks SPEC; any problem is printed as 'file:line:col: error: message' and the exit \
            status is 1. With --json the whole resolved graph is printed as JSON (see Specs/README.md).
            """
    )

    @Argument(help: "The network spec file (.spec).")
    var spec: String

    @Flag(help: "Print the resolved graph as JSON instead of a table.")
    var json = false

    func run() throws {
        try CLIError.reporting {
            let network = try NetworkSpec.load(path: spec)
            let description = NetworkDescription(network)
            if json {
                var data = try description.jsonData()
                data.append(contentsOf: Array("\n".utf8))
                FileHandle.standardOutput.write(data)
            } else {
                print(SummaryTable(network: network, description: description).render(), terminator: "")
            }
        }
    }
}
