import Foundation
import JSON
import States
import Storage
import Wire

extension StepFunctionsService {
    /// Creates or replaces a state machine from a definition file, as `definitions/`
    /// loading does. Throws `DefinitionError` (with locations) if the file is invalid.
    @discardableResult
    public func deploy(name: String, definition: String, type: String = "STANDARD", roleArn: String? = nil,
                       accountId: String, region: String, sourceFile: String? = nil) async throws -> String {
        _ = try StateMachine.parse(definition)
        guard SFNName.isValid(name) else { throw SFNError.invalidName(name) }
        let arn = SFNArn.stateMachine(region: region, account: accountId, name: name)
        let role = roleArn ?? "arn:aws:iam::\(accountId):role/offcloud-\(name)"
        let now = clock.nowMilliseconds()
        let revision = UUID().uuidString.lowercased()
        try await database.transaction { db in
            if try db.stateMachine(arn) != nil {
                try db.run("""
                    UPDATE sfn_state_machines SET definition = ?, type = ?, role_arn = ?, updated_at = ?, revision_id = ?, source_file = ?
                    WHERE arn = ?
                    """, .text(definition), .text(type), .text(role), .integer(now), .text(revision), SQLValue(sourceFile), .text(arn))
            } else {
                try db.run("""
                    INSERT INTO sfn_state_machines (arn, account, region, name, type, definition, role_arn, created_at, updated_at,
                                                    revision_id, source_file)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(arn), .text(accountId), .text(region), .text(name), .text(type), .text(definition), .text(role),
                          .integer(now), .integer(now), .text(revision), SQLValue(sourceFile)])
            }
        }
        return arn
    }

    /// Runs an execution and waits for its end: for `offcloud run` and tests.
    public func runToCompletion(stateMachineArn: String, input: String, context: RequestContext) async throws -> (status: String, output: JSONValue, events: [JSONValue]) {
        let started = try await invoke(.startExecution, ShapeReader(["stateMachineArn": .string(stateMachineArn), "input": .string(input)]), context)
        let arn = started["executionArn"]?.stringValue ?? ""
        _ = await runner.outcome(of: arn)
        let described = try await invoke(.describeExecution, ShapeReader(["executionArn": .string(arn)]), context)
        let history = try await invoke(.getExecutionHistory, ShapeReader(["executionArn": .string(arn), "maxResults": 1000]), context)
        return (described["status"]?.stringValue ?? "", described, history["events"]?.arrayValue ?? [])
    }
}
