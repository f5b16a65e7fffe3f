import Foundation
import JSON

extension ExecutionRun {
    /// Runs every branch on the same input, concurrently; the result is their outputs
    /// in branch order. The first branch to fail fails the state and stops the rest.
    func runParallel(_ parallel: ParallelState, state: State, input: JSONValue, variables: [String: JSONValue],
                     previous: inout Int) async throws -> JSONValue {
        let started = await log.record("ParallelStateStarted", previous: previous)
        previous = started
        do {
            let results = try await withThrowingTaskGroup(of: (Int, JSONValue).self) { group in
                for (i, branch) in parallel.branches.enumerated() {
                    group.addTask {
                        var scoped = variables
                        var last = started
                        return (i, try await self.runGraph(branch, input: input, variables: &scoped, previous: &last,
                                                           topLevel: false, mapItem: nil))
                    }
                }
                var outputs = [JSONValue](repeating: .null, count: parallel.branches.count)
                for try await (i, output) in group { outputs[i] = output }
                return outputs
            }
            previous = await log.record("ParallelStateSucceeded", previous: previous)
            return .array(results)
        } catch let error as StatesError {
            // GetExecutionHistory's HistoryEvent has no member for ParallelStateFailed details.
            previous = await log.record("ParallelStateFailed", previous: previous)
            throw error
        }
    }
}
