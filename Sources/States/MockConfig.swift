import Foundation
import JSON

/// AWS Step Functions Local's mock configuration file, read unchanged:
/// `StateMachines` → machine name → `TestCases` → case name → state name → response
/// name, and `MockedResponses` → response name → invocation range (`"0"`, `"1-2"`) →
/// `{"Return": …}` or `{"Throw": {"Error": …, "Cause": …}}`.
public struct MockConfig: Sendable {
    /// Machine name → test case name → state name → mocked responses.
    public var stateMachines: [String: [String: [String: MockedResponses]]]

    public init(stateMachines: [String: [String: [String: MockedResponses]]] = [:]) {
        self.stateMachines = stateMachines
    }

    /// The mocks of one test case, by state name; nil if the machine has no such case.
    public func testCase(_ name: String, stateMachine: String) -> [String: MockedResponses]? {
        stateMachines[stateMachine]?[name]
    }

    public static func load(path: String) throws -> MockConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MockConfigError("Cannot read the mock configuration file \(path).")
        }
        do {
            return try parse(try JSONValue.parse(Array(data)))
        } catch let error as JSONSyntaxError {
            throw MockConfigError("\(path) is not valid JSON: \(error)")
        }
    }

    public static func parse(_ json: JSONValue) throws -> MockConfig {
        guard let root = json.objectValue else { throw MockConfigError("A mock configuration is a JSON object.") }
        var responses: [String: MockedResponses] = [:]
        for response in root["MockedResponses"]?.objectValue ?? JSONObject() {
            responses[response.key] = try MockedResponses.parse(response.value, name: response.key)
        }
        var machines: [String: [String: [String: MockedResponses]]] = [:]
        for machine in root["StateMachines"]?.objectValue ?? JSONObject() {
            var cases: [String: [String: MockedResponses]] = [:]
            for testCase in machine.value["TestCases"]?.objectValue ?? JSONObject() {
                var states: [String: MockedResponses] = [:]
                for state in testCase.value.objectValue ?? JSONObject() {
                    guard let name = state.value.stringValue, let mocked = responses[name] else {
                        throw MockConfigError("Test case \(machine.key)#\(testCase.key): state \(state.key) names "
                                              + "\(state.value.jsonString), which is not in MockedResponses.")
                    }
                    states[state.key] = mocked
                }
                cases[testCase.key] = states
            }
            machines[machine.key] = cases
        }
        return MockConfig(stateMachines: machines)
    }
}

/// What a mocked Task returns or throws.
public enum MockedResponse: Sendable, Equatable {
    case returns(JSONValue)
    case throwing(error: String, cause: String)
}

/// A state's mocked responses by invocation (0 is the first call, 1 the first retry…).
/// Past the last range the last response repeats.
public struct MockedResponses: Sendable {
    public var entries: [(range: ClosedRange<Int>, response: MockedResponse)]

    public init(_ entries: [(range: ClosedRange<Int>, response: MockedResponse)]) {
        self.entries = entries.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// One response for every invocation.
    public init(always response: MockedResponse) { self.init([(0...0, response)]) }

    public func response(forInvocation n: Int) -> MockedResponse? {
        if let hit = entries.first(where: { $0.range.contains(n) }) { return hit.response }
        return entries.last(where: { $0.range.upperBound < n })?.response
    }

    static func parse(_ json: JSONValue, name: String) throws -> MockedResponses {
        guard let object = json.objectValue else { throw MockConfigError("Mocked response \(name) is not an object.") }
        var entries: [(range: ClosedRange<Int>, response: MockedResponse)] = []
        for entry in object {
            let bounds = entry.key.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(bounds.count), let low = bounds.first ?? nil, let high = bounds.last ?? nil, low >= 0, low <= high else {
                throw MockConfigError("Mocked response \(name): \"\(entry.key)\" is not an invocation number or range like \"1-2\".")
            }
            if let value = entry.value["Return"] {
                entries.append((low...high, .returns(value)))
            } else if let thrown = entry.value["Throw"] {
                entries.append((low...high, .throwing(error: thrown["Error"]?.stringValue ?? "", cause: thrown["Cause"]?.stringValue ?? "")))
            } else {
                throw MockConfigError("Mocked response \(name) \"\(entry.key)\" has neither Return nor Throw.")
            }
        }
        return MockedResponses(entries)
    }
}

public struct MockConfigError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
