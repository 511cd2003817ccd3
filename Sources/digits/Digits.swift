import ArgumentParser

@main
struct Digits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digits",
        abstract: "Compile, train, run and serve int8 handwritten-digit recognizers.",
        subcommands: [
            SummaryCommand.self,
            InfoCommand.self,
            DataCommand.self,
            EvalCommand.self,
            QuantizeCommand.self,
            CompileCommand.self,
            BenchCommand.self,
            VerifyCommand.self,
            ExportCommand.self,
            TrainCommand.self,
            ServeCommand.self,
        ]
    )
}
