import Foundation
import JSON
import States
import Storage
import Wire

extension StepFunctionsService {
    /// TestState: one state in isolation (a single state definition, or a whole
    /// definition plus `stateName`), with optional mocks, reporting the data after every
    /// processing step at DEBUG and TRACE.
    func testState(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let definitionText = try input.requiredString("definition")
        let stateName = try input.string("stateName")
        let level = try input.string("inspectionLevel") ?? "INFO"
        guard ["INFO", "DEBUG", "TRACE"].contains(level) else {
            throw SFNError.validation("1 validation error detected: Value '\(level)' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]")
        }
        if let role = try input.string("roleArn") { try Self.validRoleArn(role) }
        guard let definitionJSON = try? JSONValue.parse(Array(definitionText.utf8)), case .object(let definitionObject) = definitionJSON else {
            throw SFNError.invalidDefinition("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: the definition must be a JSON object'")
        }
        let (machineJSON, testedName) = Self.testMachine(definitionObject, stateName: stateName)
        let machine = try Self.parseDefinition(machineJSON.jsonString)
        guard machine.graph.index(of: testedName) != nil else {
            throw SFNError.validation("State '\(testedName)' does not exist in the definition")
        }

        var test = StateTest()
        test.input = try Self.jsonArgument(input, "input", error: SFNError.invalidExecutionInput) ?? .object(JSONObject())
        if let variables = try Self.jsonArgument(input, "variables", error: SFNError.validation) {
            guard case .object(let o) = variables else { throw SFNError.validation("variables must be a JSON object") }
            for m in o { test.variables[m.key] = m.value }
        }
        if let extra = try Self.jsonArgument(input, "context", error: SFNError.validation) {
            guard case .object(let o) = extra else { throw SFNError.validation("context must be a JSON object") }
            test.context = o
        }
        if let mock = try input.structure("mock") {
            if let result = try mock.string("result") {
                guard let value = try? JSONValue.parse(Array(result.utf8)) else { throw SFNError.validation("The mock result must be valid JSON") }
                test.mock = .result(value)
            } else if let error = try mock.structure("errorOutput") {
                test.mock = .error(StatesError(try error.string("error") ?? "", try error.string("cause") ?? ""))
            } else {
                throw SFNError.validation("A mock must have either a result or an errorOutput")
            }
        }
        if let configuration = try input.structure("stateConfiguration") {
            test.retrierRetryCount = try configuration.int("retrierRetryCount") ?? 0
        }

        let now = clock.nowMilliseconds()
        let info = ExecutionInfo(
            executionArn: SFNArn.execution(region: context.region, account: context.accountId, machine: "TestState", name: UUID().uuidString.lowercased()),
            name: "TestState", stateMachineArn: SFNArn.stateMachine(region: context.region, account: context.accountId, name: "TestState"),
            stateMachineName: "TestState", roleArn: try input.string("roleArn") ?? "", startTime: now, input: test.input)
        var interpreter = Interpreter(invoker: integrations.invoker(for: self, region: context.region, account: context.accountId),
                                      clock: statesClock)
        interpreter.mapRunner = ServiceMapRunner(service: self)
        let result = await interpreter.test(machine, stateName: testedName, test, execution: info)

        var o = JSONObject()
        if let output = result.output { o.append("output", .string(output.jsonString)) }
        if let error = result.error, result.status != .succeeded {
            o.append("error", .string(error.error))
            o.append("cause", .string(error.cause))
        }
        if level != "INFO" {
            var data = JSONObject()
            for m in result.inspection { data.append(m.key, .string(m.value.jsonString)) }
            var details = JSONObject()
            if let r = result.retryIndex { details.append("retryIndex", .integer(r)) }
            if let s = result.retryBackoffIntervalSeconds { details.append("retryBackoffIntervalSeconds", .integer(s)) }
            if let c = result.catchIndex { details.append("catchIndex", .integer(c)) }
            if !details.isEmpty { data.append("errorDetails", .object(details)) }
            o.append("inspectionData", .object(data))
        }
        if let next = result.nextState { o.append("nextState", .string(next)) }
        o.append("status", .string(result.status.rawValue))
        return .object(o)
    }

    /// A whole definition as given (with `stateName`), or a single state wrapped in one,
    /// its transition targets standing in as Succeed states.
    static func testMachine(_ definition: JSONObject, stateName: String?) -> (JSONValue, String) {
        if let stateName, definition["States"] != nil { return (.object(definition), stateName) }
        let name = stateName ?? "TestState"
        var targets: [String] = []
        if let n = definition["Next"]?.stringValue { targets.append(n) }
        if let d = definition["Default"]?.stringValue { targets.append(d) }
        for rule in definition["Choices"]?.arrayValue ?? [] { if let n = rule["Next"]?.stringValue { targets.append(n) } }
        for c in definition["Catch"]?.arrayValue ?? [] { if let n = c["Next"]?.stringValue { targets.append(n) } }
        var states = JSONObject()
        states[name] = .object(definition)
        for target in targets where target != name && states[target] == nil { states[target] = ["Type": "Succeed"] }
        return (.object(["StartAt": .string(name), "States": .object(states)]), name)
    }

    /// A member holding JSON text, parsed.
    static func jsonArgument(_ input: ShapeReader, _ key: String, error: (String) -> SFNError) throws -> JSONValue? {
        guard let text = try input.string(key) else { return nil }
        guard let value = try? JSONValue.parse(Array(text.utf8)) else { throw error("Invalid \(key): '\(text)'") }
        return value
    }
}
