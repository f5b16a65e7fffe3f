import ArgumentParser

@main
struct Offcloud: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offcloud",
        abstract: "A local AWS emulator: SQS and Step Functions on 127.0.0.1, state in SQLite.",
        version: "0.1.0",
        subcommands: [Serve.self, Run.self, Test.self, Validate.self, Demo.self, BenchStates.self, BenchLambda.self],
        defaultSubcommand: Serve.self)
}
