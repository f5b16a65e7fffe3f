import ArgumentParser
import Foundation
import States

/// `offcloud validate FILE…`: every problem of every definition, with its JSON Pointer.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check state machine definitions; exits non-zero if any has errors.")

    @Argument(help: "ASL definition files (*.asl.json).")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                print("\(file): cannot be read")
                failed = true
                continue
            }
            do {
                _ = try StateMachine.parse(text)
                print("\(file): OK")
            } catch let error as DefinitionError {
                failed = true
                for d in error.diagnostics {
                    print("\(file): \(d.severity.rawValue) \(d.code) at \(d.location.isEmpty ? "/" : d.location): \(d.message)")
                }
            }
        }
        if failed { throw ExitCode.failure }
    }
}
