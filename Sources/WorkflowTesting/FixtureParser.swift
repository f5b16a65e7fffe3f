import Foundation
import JSON
import States

/// Reads a fixture file's tests. A file names its `definition` and holds `tests`
/// (or is one test itself); each test may override `definition`.
enum FixtureParser {
    static func tests(in document: JSONValue, file: String, definitionsDirectory: String) throws -> [FixtureTest] {
        guard let root = document.objectValue else { throw FixtureError("\(file): a fixture file is an object.") }
        let entries: [JSONValue] = root["tests"].flatMap(\.arrayValue) ?? [document]
        return try entries.enumerated().map { index, entry in
            guard let test = entry.objectValue else { throw FixtureError("\(file): tests[\(index)] is not an object.") }
            do {
                return try parseTest(test, file: file, index: index, defaults: root, definitionsDirectory: definitionsDirectory)
            } catch let error as FixtureError {
                throw FixtureError("\(file): tests[\(index)]: \(error.message)")
            }
        }
    }

    static func parseTest(_ test: JSONObject, file: String, index: Int, defaults: JSONObject,
                          definitionsDirectory: String) throws -> FixtureTest {
        guard let definition = (test["definition"] ?? defaults["definition"])?.stringValue else {
            throw FixtureError("no \"definition\" names the state machine to run.")
        }
        let path = try DefinitionCatalog.resolve(definition, fixtureFile: file, definitionsDirectory: definitionsDirectory)
        var substitutions: [String: String] = [:]
        for source in [defaults["substitutions"], test["substitutions"]] {
            for m in source?.objectValue ?? JSONObject() { substitutions[m.key] = m.value.stringValue ?? m.value.jsonString }
        }
        var mocks: [String: StateMock] = [:]
        for source in [defaults["mocks"], test["mocks"]] {
            for m in source?.objectValue ?? JSONObject() { mocks[m.key] = try mock(m.value, state: m.key) }
        }
        var context = TestContext()
        if let c = (test["context"] ?? defaults["context"])?.objectValue {
            context.executionName = c["executionName"]?.stringValue ?? c["name"]?.stringValue
            if let start = c["startTime"]?.stringValue {
                guard let t = Timestamp(start) else { throw FixtureError("context.startTime \(start) is not an ISO-8601 timestamp.") }
                context.startTime = t.milliseconds
            }
        }
        var update: [String] = []
        switch test["update"] {
        case .bool(true)?: update = ["status", "output", "states"]
        case .array(let keys)?: update = keys.compactMap(\.stringValue)
        case .string(let key)?: update = [key]
        default: break
        }
        return FixtureTest(
            file: file, index: index, name: test["name"]?.stringValue ?? "test \(index + 1)", definitionPath: path,
            substitutions: substitutions, input: test["input"] ?? defaults["input"] ?? .object(JSONObject()), mocks: mocks,
            mockTestCase: (test["testCase"] ?? defaults["testCase"])?.stringValue,
            mockConfigPath: (test["mockConfig"] ?? defaults["mockConfig"])?.stringValue.map { relative($0, to: file) },
            context: context, seed: UInt64((test["seed"] ?? defaults["seed"])?.intValue ?? 0),
            expect: try expectations(test["expect"]?.objectValue ?? JSONObject()), update: update)
    }

    /// `{"result": …}`, `{"payload": …}` (a `lambda:invoke` result around it),
    /// `{"error": …, "cause": …}`, `{"sequence": [ … ]}` (with `"times": n` per entry),
    /// `{"handler": "Name"}`; Step Functions Local's `{"Return": …}` / `{"Throw": …}` too.
    static func mock(_ value: JSONValue, state: String) throws -> StateMock {
        guard let o = value.objectValue else { throw FixtureError("mocks.\(state) is not an object.") }
        if let handler = o["handler"]?.stringValue {
            var environment: [String: String] = [:]
            for m in o["environment"]?.objectValue ?? JSONObject() { environment[m.key] = m.value.stringValue ?? m.value.jsonString }
            return .handler(name: handler, environment: environment)
        }
        if let sequence = o["sequence"]?.arrayValue {
            var entries: [(range: ClosedRange<Int>, response: MockedResponse)] = []
            var next = 0
            for item in sequence {
                let times = item["times"]?.intValue ?? 1
                if times <= 0 { continue }
                entries.append((next...(next + times - 1), try response(item, state: state)))
                next += times
            }
            guard !entries.isEmpty else { throw FixtureError("mocks.\(state).sequence is empty.") }
            return .responses(MockedResponses(entries))
        }
        return .responses(MockedResponses(always: try response(value, state: state)))
    }

    static func response(_ value: JSONValue, state: String) throws -> MockedResponse {
        guard let o = value.objectValue else { throw FixtureError("mocks.\(state): a response is an object.") }
        if let result = o["result"] ?? o["Return"] { return .returns(result) }
        if let payload = o["payload"] {
            return .returns(["ExecutedVersion": "$LATEST", "Payload": payload, "SdkHttpMetadata": ["HttpStatusCode": 200],
                             "StatusCode": 200])
        }
        if let error = o["error"]?.stringValue { return .throwing(error: error, cause: o["cause"]?.stringValue ?? "") }
        if let thrown = o["Throw"] {
            return .throwing(error: thrown["Error"]?.stringValue ?? "", cause: thrown["Cause"]?.stringValue ?? "")
        }
        throw FixtureError("mocks.\(state) has none of result, payload, error, sequence, handler.")
    }

    static func expectations(_ o: JSONObject) throws -> Expectations {
        var e = Expectations()
        e.status = o["status"]?.stringValue
        e.output = o["output"]
        e.outputContains = o["outputContains"]
        for m in o["outputMatches"]?.objectValue ?? JSONObject() {
            _ = try JSONPathLookup.path(m.key)
            e.outputMatches.append((m.key, m.value))
        }
        e.error = o["error"]?.stringValue
        e.cause = o["cause"]?.stringValue
        e.states = o["states"]?.arrayValue?.compactMap(\.stringValue)
        for m in o["retries"]?.objectValue ?? JSONObject() {
            guard let n = m.value.intValue else { throw FixtureError("expect.retries.\(m.key) is not an integer.") }
            e.retries[m.key] = n
        }
        e.variables = o["variables"]
        e.history = o["history"]?.arrayValue?.compactMap(\.stringValue)
        e.historyContains = o["historyContains"]?.arrayValue?.compactMap(\.stringValue)
        if case .number(let n)? = o["virtualSeconds"] { e.virtualSeconds = Double(n) }
        return e
    }

    static func relative(_ path: String, to file: String) -> String {
        if path.hasPrefix("/") || FileManager.default.fileExists(atPath: path) { return path }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).path
    }
}
