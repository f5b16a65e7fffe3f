import JSON

/// A definition that cannot run, with every problem found.
public struct DefinitionError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

extension StateMachine {
    /// Parses and validates definition text (`INVALID_JSON_DESCRIPTION` when it is not JSON).
    public static func parse(_ text: String) throws -> StateMachine {
        let json: JSONValue
        do {
            json = try JSONValue.parse(Array(text.utf8))
        } catch {
            throw DefinitionError(diagnostics: [Diagnostic(Diagnostic.invalidJSONDescription, "Invalid JSON: \(error)", at: "")])
        }
        return try parse(json)
    }

    /// Parses and validates a decoded definition, reporting every problem at its JSON Pointer.
    public static func parse(_ json: JSONValue) throws -> StateMachine {
        var parser = DefinitionParser()
        let machine = parser.machine(json)
        if parser.diagnostics.hasErrors || machine == nil { throw DefinitionError(diagnostics: parser.diagnostics.items) }
        return machine!
    }
}

struct DefinitionParser {
    var diagnostics = Diagnostics()
    /// The machine's own QueryLanguage: what a state without its own uses, at any depth.
    var machineLanguage = QueryLanguage.jsonPath

    static let topLevelFields: Set<String> = ["StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"]
    static let common: Set<String> = ["Type", "Comment", "QueryLanguage"]
    static let flow: Set<String> = ["Next", "End"]
    static let jsonataOnly: Set<String> = ["Arguments", "Output", "Items"]
    static let jsonPathOnly: Set<String> = [
        "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Result", "ItemsPath", "TimeoutSecondsPath",
        "HeartbeatSecondsPath", "SecondsPath", "TimestampPath", "ErrorPath", "CausePath", "MaxConcurrencyPath",
        "ToleratedFailureCountPath", "ToleratedFailurePercentagePath",
    ]
    /// The JSONata fields each state type takes (besides the shared ones).
    static let jsonataFields: [String: Set<String>] = [
        "Pass": ["Output"], "Task": ["Arguments", "Output"], "Choice": ["Output"], "Wait": ["Output"], "Succeed": ["Output"],
        "Fail": [], "Parallel": ["Arguments", "Output"], "Map": ["Items", "Output"],
    ]
    static let fields: [String: Set<String>] = [
        "Pass": flow.union(["InputPath", "OutputPath", "Parameters", "ResultPath", "Result", "Assign"]),
        "Task": flow.union(["InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Resource",
                            "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials", "Assign"]),
        "Choice": ["Choices", "Default", "InputPath", "OutputPath", "Assign"],
        "Wait": flow.union(["InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Assign"]),
        "Succeed": ["InputPath", "OutputPath"],
        "Fail": ["Error", "Cause", "ErrorPath", "CausePath"],
        "Parallel": flow.union(["InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch",
                                "Branches", "Assign"]),
        "Map": flow.union(["InputPath", "OutputPath", "ItemsPath", "ItemSelector", "Parameters", "ResultSelector", "ResultPath",
                           "Retry", "Catch", "ItemProcessor", "Iterator", "MaxConcurrency", "MaxConcurrencyPath", "ItemReader",
                           "ItemBatcher", "ResultWriter", "ToleratedFailureCount", "ToleratedFailureCountPath",
                           "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "Label", "Assign"]),
    ]

    mutating func error(_ message: String, _ location: String, code: String = Diagnostic.schemaValidationFailed) {
        diagnostics.error(message, at: location, code: code)
    }

    mutating func machine(_ json: JSONValue) -> StateMachine? {
        guard case .object(let o) = json else {
            error("The definition must be a JSON object", "")
            return nil
        }
        for key in o.keys where !Self.topLevelFields.contains(key) {
            error("Field '\(key)' is not supported", "")
        }
        let language = queryLanguage(o, at: "") ?? .jsonPath
        machineLanguage = language
        var timeout: Int?
        if let t = o["TimeoutSeconds"] { timeout = positiveInteger(t, "TimeoutSeconds", at: "/TimeoutSeconds", minimum: 1) }
        guard let graph = graph(o, at: "", topLevel: true) else { return nil }
        return StateMachine(comment: o["Comment"]?.stringValue, version: o["Version"]?.stringValue, timeoutSeconds: timeout,
                            queryLanguage: language, graph: graph, source: json)
    }

    /// The language `QueryLanguage` selects, as AWS resolves it: absent inherits, exactly
    /// `JSONPath` is JSONPath, anything else (a misspelling included) is JSONata.
    static func resolvedLanguage(_ o: JSONObject) -> QueryLanguage? {
        guard let value = o["QueryLanguage"] else { return nil }
        return value == .string("JSONPath") ? .jsonPath : .jsonata
    }

    /// Reports a `QueryLanguage` outside the enum, at the field, in AWS's words.
    mutating func checkQueryLanguage(_ o: JSONObject, at location: String) {
        guard let value = o["QueryLanguage"] else { return }
        guard case .string(let s) = value else {
            error("Expected value of type [STRING]", pointer(location, "QueryLanguage"))
            return
        }
        if QueryLanguage(rawValue: s) == nil {
            error("Value should be one of the following: [JSONPath, JSONata]", pointer(location, "QueryLanguage"))
        }
    }

    mutating func queryLanguage(_ o: JSONObject, at location: String) -> QueryLanguage? {
        checkQueryLanguage(o, at: location)
        return Self.resolvedLanguage(o)
    }

    /// `StartAt` + `States`, with transitions resolved and reachability checked. Only the
    /// top level must have a terminal state: AWS accepts a branch or item processor that loops.
    mutating func graph(_ o: JSONObject, at location: String, mode: StateGraph.ProcessorMode = .inline,
                        topLevel: Bool = false) -> StateGraph? {
        guard case .string(let startAt)? = o["StartAt"] else {
            error("The field 'StartAt' is required and must be a string", pointer(location, "StartAt"))
            return nil
        }
        if !topLevel, o["QueryLanguage"] != nil {
            // A branch or item processor is not a state: only its states choose a language.
            error("Field 'QueryLanguage' is not supported", location)
        }
        guard case .object(let statesObject)? = o["States"], !statesObject.isEmpty else {
            error("The field 'States' is required and must be a non-empty object", pointer(location, "States"))
            return nil
        }
        // Names resolve through a dictionary: a 10,000-state chain must not cost 10,000² lookups.
        var names: [String: Int] = [:]
        for (i, name) in statesObject.keys.enumerated() {
            if names[name] != nil {
                error("Duplicate state name '\(name)'", pointer(pointer(location, "States"), name), code: "DUPLICATE_STATE_NAME")
            } else {
                names[name] = i
            }
            if name.isEmpty || name.count > 80 {
                error("State names must be 1 to 80 characters long", pointer(pointer(location, "States"), name), code: "INVALID_STATE_NAME")
            }
        }
        let start = names[startAt]
        if start == nil {
            error("Missing 'Next' target: \(startAt)", pointer(location, "StartAt"), code: Diagnostic.missingTransitionTarget)
        }
        var states: [State] = []
        for m in statesObject {
            if let state = state(m.key, m.value, at: pointer(pointer(location, "States"), m.key), names: names) {
                states.append(state)
            }
        }
        guard states.count == statesObject.count else { return nil }
        checkReachability(states, from: start, names: names, at: location, topLevel: topLevel)
        guard let start else { return nil }
        return StateGraph(startAt: start, states: states, processorMode: mode)
    }

    /// AWS's two graph rules: the top level needs a terminal state somewhere
    /// (`MISSING_END_STATE`, which stops the walk), and every state must be reachable from
    /// `StartAt` (`MISSING_TRANSITION_TARGET: State "X" is not reachable.`).
    mutating func checkReachability(_ states: [State], from start: Int?, names: [String: Int], at location: String,
                                    topLevel: Bool) {
        if topLevel, !states.contains(where: \.isTerminal) {
            error("Workflow has no terminal state", location, code: "MISSING_END_STATE")
            return
        }
        var reached = Set<Int>()
        var work: [Int] = []
        if let start { reached.insert(start); work.append(start) }
        while let i = work.popLast() {
            let s = states[i]
            var targets: [Int] = []
            if case .next(let n)? = s.transition { targets.append(n) }
            if case .choice(let c) = s.kind {
                targets += c.choices.map(\.next)
                if let d = c.defaultState { targets.append(d) }
            }
            targets += s.catch.map(\.next)
            for t in targets where reached.insert(t).inserted { work.append(t) }
        }
        // A duplicate name is reported as such; its second copy is not also "unreachable".
        for (i, s) in states.enumerated() where !reached.contains(i) && names[s.name] == i {
            error("State \"\(s.name)\" is not reachable.", s.location, code: Diagnostic.missingTransitionTarget)
        }
    }

    mutating func state(_ name: String, _ value: JSONValue, at location: String, names: [String: Int]) -> State? {
        guard case .object(let o) = value else {
            error("A state must be a JSON object", location)
            return nil
        }
        guard case .string(let type)? = o["Type"], let allowed = Self.fields[type] else {
            error("The field 'Type' must be one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map", pointer(location, "Type"))
            return nil
        }
        // AWS locates these at the state, not the field: `Field 'Retry' is not supported at /States/P`.
        var language = Self.resolvedLanguage(o) ?? machineLanguage
        // A JSONata machine's states cannot go back to JSONPath; that is the whole answer
        // for the state, its other-language fields are not reported on top.
        let downgraded = machineLanguage == .jsonata && o["QueryLanguage"] == .string("JSONPath")
        if downgraded {
            error("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", location)
            language = .jsonPath
        }
        let jsonataAllowed = Self.jsonataFields[type] ?? []
        for key in o.keys where !Self.common.contains(key) {
            if language == .jsonPath, Self.jsonataOnly.contains(key) {
                if !downgraded {
                    error("The QueryLanguage is set to 'JSONPath', but field '\(key)' is only supported for the 'JSONata' QueryLanguage",
                          location)
                }
            } else if language == .jsonata, Self.jsonPathOnly.contains(key) {
                error("The QueryLanguage is set to 'JSONata', but field '\(key)' is only supported for the 'JSONPath' QueryLanguage",
                      location)
            } else if !allowed.contains(key) && !(language == .jsonata && jsonataAllowed.contains(key)) {
                error("Field '\(key)' is not supported", location)
            }
        }
        checkQueryLanguage(o, at: location)

        var transition: Transition?
        if Self.fields[type]!.contains("Next") {
            let next = o["Next"], end = o["End"]
            switch (next, end) {
            case (.string(let n)?, nil), (.string(let n)?, .bool(false)?):
                if let i = target(n, at: pointer(location, "Next"), names: names) { transition = .next(i) }
            case (nil, .bool(true)?):
                transition = .end
            case (.some, .some):
                error("A state cannot have both 'Next' and 'End'", location)
            default:
                error("A state of type '\(type)' must have either 'Next' or 'End': true", location, code: "MISSING_TRANSITION_TARGET")
            }
        }

        var io = DataFlow()
        var assign: PayloadTemplate?
        var jsonataIO: JSONataIO?
        if language == .jsonata {
            var fields = JSONataIO()
            if let v = o["Arguments"], jsonataAllowed.contains("Arguments") { fields.arguments = jsonata(v, at: pointer(location, "Arguments")) }
            if let v = o["Output"], jsonataAllowed.contains("Output") { fields.output = jsonata(v, at: pointer(location, "Output")) }
            if let v = o["Assign"] { fields.assign = jsonataAssign(v, at: pointer(location, "Assign")) }
            jsonataIO = fields
        } else {
            if let v = o["InputPath"] { io.inputPath = pathField(v, "InputPath", at: location) }
            if let v = o["OutputPath"] { io.outputPath = pathField(v, "OutputPath", at: location) }
            if let v = o["ResultPath"] { io.resultPath = pathField(v, "ResultPath", at: location, reference: true) }
            if let v = o["Parameters"], type != "Map" { io.parameters = template(v, at: pointer(location, "Parameters"), mustBeObject: false) }
            if let v = o["ResultSelector"] { io.resultSelector = template(v, at: pointer(location, "ResultSelector"), mustBeObject: true) }
            if let v = o["Assign"] { assign = assignTemplate(v, at: pointer(location, "Assign")) }
        }
        var retry: [Retrier] = []
        if let v = o["Retry"] { retry = retriers(v, at: pointer(location, "Retry")) }
        var catchList: [Catcher] = []
        if let v = o["Catch"] { catchList = catchers(v, at: pointer(location, "Catch"), names: names, language: language) }

        let kind: StateKind
        switch type {
        case "Pass":
            kind = .pass(PassState(result: language == .jsonata ? nil : o["Result"]))
        case "Task":
            guard case .string(let resource)? = o["Resource"] else {
                error("The field 'Resource' is required for Task states", pointer(location, "Resource"))
                return nil
            }
            if !resource.hasPrefix("arn:") {
                error("The resource '\(resource)' is not a valid ARN", pointer(location, "Resource"), code: "INVALID_RESOURCE")
            }
            kind = .task(TaskState(
                resource: resource,
                timeoutSeconds: integer(o, "TimeoutSeconds", at: location, minimum: 1, maximum: 99_999_999, language: language),
                heartbeatSeconds: integer(o, "HeartbeatSeconds", at: location, minimum: 1, maximum: 99_999_999, language: language),
                credentials: o["Credentials"]))
        case "Choice":
            kind = .choice(choice(o, at: location, names: names, language: language))
        case "Wait":
            guard let w = wait(o, at: location, language: language) else { return nil }
            kind = .wait(w)
        case "Succeed":
            kind = .succeed
        case "Fail":
            kind = .fail(fail(o, at: location, language: language))
        case "Parallel":
            guard case .array(let branches)? = o["Branches"], !branches.isEmpty else {
                error("The field 'Branches' is required and must be a non-empty array", pointer(location, "Branches"))
                return nil
            }
            var graphs: [StateGraph] = []
            for (i, b) in branches.enumerated() {
                let here = pointer(pointer(location, "Branches"), i)
                guard case .object(let bo) = b else { error("A branch must be a JSON object", here); continue }
                if let g = graph(bo, at: here) { graphs.append(g) }
            }
            kind = .parallel(ParallelState(branches: graphs))
        case "Map":
            guard let m = map(o, at: location, language: language) else { return nil }
            kind = .map(m)
        default:
            return nil
        }
        return State(name: name, comment: o["Comment"]?.stringValue, kind: kind, transition: transition, io: io,
                     assign: assign, retry: retry, catch: catchList, location: location, queryLanguage: language, jsonata: jsonataIO)
    }

    mutating func pathField(_ value: JSONValue, _ field: String, at location: String, reference: Bool = false) -> DataFlow.PathField {
        let here = pointer(location, field)
        switch value {
        case .null: return .discard
        case .string(let s):
            guard let p = try? JSONPath.parse(s) else {
                error("The value for the field '\(field)' must be a valid JSONPath", here)
                return .path(JSONPath.identity)
            }
            // ResultPath places the result into the state input: `$$…` or `$variable…` cannot take it.
            if reference && (!p.isReferencePath || p.root != .input) {
                error("The value for the field '\(field)' must be a valid Reference Path", here)
            }
            return .path(p)
        default:
            error("The value for the field '\(field)' must be a string or null", here)
            return .path(JSONPath.identity)
        }
    }

    mutating func template(_ value: JSONValue, at location: String, mustBeObject: Bool) -> PayloadTemplate {
        if mustBeObject, value.objectValue == nil {
            error("The value must be a JSON object", location)
        }
        return PayloadTemplate.compile(value, at: location, diagnostics: &diagnostics)
    }

    mutating func positiveInteger(_ value: JSONValue, _ field: String, at location: String, minimum: Int,
                                  maximum: Int? = nil) -> Int? {
        guard case .number(let n) = value, let i = Int(n), i >= minimum else {
            error("The value for the field '\(field)' must be an integer >= \(minimum)", location)
            return nil
        }
        if let maximum, i > maximum {
            error("Maximum value is \(maximum)", location)
            return nil
        }
        return i
    }

    /// `Field` or `FieldPath`, not both.
    mutating func integerField(_ o: JSONObject, _ field: String, at location: String, minimum: Int,
                               maximum: Int? = nil) -> IntegerField? {
        let literal = o[field], path = o[field + "Path"]
        if literal != nil && path != nil {
            // AWS locates this at the literal field: `/States/M/MaxConcurrency`.
            error("Only one of '\(field)' and '\(field)Path' may be set", pointer(location, field))
            return nil
        }
        if let literal {
            return positiveInteger(literal, field, at: pointer(location, field), minimum: minimum, maximum: maximum).map { .value($0) }
        }
        if let path {
            guard case .string(let s) = path, let p = try? JSONPath.parse(s), p.isReferencePath else {
                error("The value for the field '\(field)Path' must be a valid Reference Path", pointer(location, field + "Path"))
                return nil
            }
            return .path(p)
        }
        return nil
    }

    mutating func retriers(_ value: JSONValue, at location: String) -> [Retrier] {
        guard case .array(let items) = value else {
            error("The field 'Retry' must be an array", location)
            return []
        }
        var result: [Retrier] = []
        for (i, item) in items.enumerated() {
            let here = pointer(location, i)
            guard case .object(let o) = item else { error("A retrier must be a JSON object", here); continue }
            for key in o.keys where !["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
                                      "JitterStrategy", "Comment"].contains(key) {
                error("Field '\(key)' is not supported", here)
            }
            var r = Retrier(errorEquals: errorEquals(o, at: here, isLast: i == items.count - 1))
            // Ranges from AWS's retrier reference: IntervalSeconds and MaxAttempts up to 99999999,
            // MaxDelaySeconds below 31622401.
            if let v = o["IntervalSeconds"] {
                r.intervalSeconds = positiveInteger(v, "IntervalSeconds", at: pointer(here, "IntervalSeconds"), minimum: 1,
                                                    maximum: 99_999_999) ?? 1
            }
            if let v = o["MaxAttempts"] {
                r.maxAttempts = positiveInteger(v, "MaxAttempts", at: pointer(here, "MaxAttempts"), minimum: 0, maximum: 99_999_999) ?? 3
            }
            if let v = o["MaxDelaySeconds"] {
                r.maxDelaySeconds = positiveInteger(v, "MaxDelaySeconds", at: pointer(here, "MaxDelaySeconds"), minimum: 1,
                                                    maximum: 31_622_400)
            }
            if let v = o["BackoffRate"] {
                if case .number(let n) = v, let d = Double(n), d >= 1.0 { r.backoffRate = d } else {
                    error("The value for the field 'BackoffRate' must be a number >= 1.0", pointer(here, "BackoffRate"))
                }
            }
            if let v = o["JitterStrategy"] {
                if case .string(let s) = v, let j = Retrier.JitterStrategy(rawValue: s) { r.jitterStrategy = j } else {
                    error("The value for the field 'JitterStrategy' must be FULL or NONE", pointer(here, "JitterStrategy"))
                }
            }
            result.append(r)
        }
        return result
    }

    mutating func target(_ n: String, at here: String, names: [String: Int]) -> Int? {
        guard let i = names[n] else {
            error("Missing 'Next' target: \(n)", here, code: Diagnostic.missingTransitionTarget)
            return nil
        }
        return i
    }

    mutating func catchers(_ value: JSONValue, at location: String, names: [String: Int], language: QueryLanguage) -> [Catcher] {
        guard case .array(let items) = value else {
            error("The field 'Catch' must be an array", location)
            return []
        }
        var result: [Catcher] = []
        for (i, item) in items.enumerated() {
            let here = pointer(location, i)
            guard case .object(let o) = item else { error("A catcher must be a JSON object", here); continue }
            for key in o.keys where !["ErrorEquals", "Next", "ResultPath", "Assign", "Output", "Comment"].contains(key) {
                error("Field '\(key)' is not supported", here)
            }
            if language == .jsonata, o["ResultPath"] != nil {
                error("The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage", here)
            }
            if language == .jsonPath, o["Output"] != nil {
                error("The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage", here)
            }
            let errors = errorEquals(o, at: here, isLast: i == items.count - 1)
            guard case .string(let next)? = o["Next"] else {
                error("The field 'Next' is required in a catcher", pointer(here, "Next"))
                continue
            }
            guard let n = target(next, at: pointer(here, "Next"), names: names) else { continue }
            var c = Catcher(errorEquals: errors, next: n)
            if language == .jsonata {
                if let v = o["Output"] { c.output = jsonata(v, at: pointer(here, "Output")) }
                if let v = o["Assign"] { c.jsonataAssign = jsonataAssign(v, at: pointer(here, "Assign")) }
            } else {
                if let v = o["ResultPath"] { c.resultPath = pathField(v, "ResultPath", at: here, reference: true) }
                if let v = o["Assign"] { c.assign = assignTemplate(v, at: pointer(here, "Assign")) }
            }
            result.append(c)
        }
        return result
    }

    mutating func errorEquals(_ o: JSONObject, at location: String, isLast: Bool) -> [String] {
        guard case .array(let items)? = o["ErrorEquals"], !items.isEmpty else {
            error("The field 'ErrorEquals' is required and must be a non-empty array", pointer(location, "ErrorEquals"))
            return []
        }
        let names = items.compactMap(\.stringValue)
        if names.count != items.count { error("'ErrorEquals' must contain only strings", pointer(location, "ErrorEquals")) }
        if names.contains("States.ALL") {
            if names.count > 1 {
                error("'States.ALL' must appear alone in 'ErrorEquals'", pointer(location, "ErrorEquals"))
            } else if !isLast {
                error("A retrier or catcher with 'States.ALL' must be the last one", pointer(location, "ErrorEquals"))
            }
        }
        return names
    }

    mutating func choice(_ o: JSONObject, at location: String, names: [String: Int], language: QueryLanguage) -> ChoiceState {
        var branches: [ChoiceBranch] = []
        if case .array(let items)? = o["Choices"], !items.isEmpty {
            for (i, item) in items.enumerated() {
                let here = pointer(pointer(location, "Choices"), i)
                if language == .jsonata {
                    if let branch = jsonataChoiceBranch(item, at: here, names: names) { branches.append(branch) }
                    continue
                }
                for key in ["Condition", "Output"] where item[key] != nil {
                    error("The QueryLanguage is set to 'JSONPath', but field '\(key)' is only supported for the 'JSONata' QueryLanguage", here)
                }
                guard let rule = ChoiceRule.parse(item, at: here, topLevel: true, diagnostics: &diagnostics) else { continue }
                guard case .string(let next)? = item["Next"] else {
                    error("A Choice Rule must have a 'Next' field", here)
                    continue
                }
                guard let n = target(next, at: pointer(here, "Next"), names: names) else { continue }
                var assign: PayloadTemplate?
                if let v = item["Assign"] { assign = assignTemplate(v, at: pointer(here, "Assign")) }
                branches.append(ChoiceBranch(rule: rule, next: n, assign: assign))
            }
        } else {
            error("The field 'Choices' is required and must be a non-empty array", pointer(location, "Choices"))
        }
        var defaultState: Int?
        if let d = o["Default"] {
            if case .string(let name) = d { defaultState = target(name, at: pointer(location, "Default"), names: names) } else {
                error("The field 'Default' must be a state name", pointer(location, "Default"))
            }
        }
        return ChoiceState(choices: branches, defaultState: defaultState)
    }

    mutating func wait(_ o: JSONObject, at location: String, language: QueryLanguage) -> WaitState? {
        if language == .jsonata { return jsonataWait(o, at: location) }
        let present = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"].filter { o[$0] != nil }
        guard present.count == 1, let field = present.first else {
            error("A Wait state must have exactly one of 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'", location)
            return nil
        }
        let here = pointer(location, field)
        switch field {
        case "Seconds":
            guard let s = positiveInteger(o[field]!, field, at: here, minimum: 0, maximum: 99_999_999) else { return nil }
            return WaitState(duration: .seconds(s))
        case "Timestamp":
            guard case .string(let t)? = o[field], Timestamp(t) != nil else {
                error("The value for the field 'Timestamp' must be a valid RFC 3339 timestamp", here)
                return nil
            }
            return WaitState(duration: .timestamp(t))
        default:
            guard case .string(let s)? = o[field], let p = try? JSONPath.parse(s), p.isReferencePath else {
                error("The value for the field '\(field)' must be a valid Reference Path", here)
                return nil
            }
            return WaitState(duration: field == "SecondsPath" ? .secondsPath(p) : .timestampPath(p))
        }
    }

    mutating func fail(_ o: JSONObject, at location: String, language: QueryLanguage) -> FailState {
        if language == .jsonata {
            return FailState(error: jsonataFailText(o, "Error", at: location), cause: jsonataFailText(o, "Cause", at: location))
        }
        func text(_ field: String) -> FailState.Text? {
            let literal = o[field], path = o[field + "Path"]
            if literal != nil && path != nil {
                error("Only one of '\(field)' and '\(field)Path' may be set", pointer(location, field))
                return nil
            }
            if let literal {
                guard case .string(let s) = literal else {
                    error("The value for the field '\(field)' must be a string", pointer(location, field))
                    return nil
                }
                return .literal(s)
            }
            guard case .string(let s)? = path else {
                if path != nil { error("The value for the field '\(field)Path' must be a string", pointer(location, field + "Path")) }
                return nil
            }
            if isIntrinsicCall(s) {
                guard let call = try? IntrinsicCall.parse(s) else {
                    error("The value for the field '\(field)Path' must be a valid intrinsic function call", pointer(location, field + "Path"))
                    return nil
                }
                return .intrinsic(call)
            }
            guard let p = try? JSONPath.parse(s), p.isReferencePath else {
                error("The value for the field '\(field)Path' must be a valid Reference Path", pointer(location, field + "Path"))
                return nil
            }
            return .path(p)
        }
        return FailState(error: text("Error"), cause: text("Cause"))
    }

    mutating func map(_ o: JSONObject, at location: String, language: QueryLanguage) -> MapState? {
        let processorField = o["ItemProcessor"] != nil ? "ItemProcessor" : "Iterator"
        if o["ItemProcessor"] != nil && o["Iterator"] != nil {
            error("Only one of 'ItemProcessor' and 'Iterator' may be set", location)
        }
        if o["ItemSelector"] != nil && o["Parameters"] != nil {
            error("Only one of 'ItemSelector' and 'Parameters' may be set", location)
        }
        guard case .object(let p)? = o[processorField] else {
            error("The field 'ItemProcessor' is required for Map states", pointer(location, "ItemProcessor"))
            return nil
        }
        let here = pointer(location, processorField)
        var mode = StateGraph.ProcessorMode.inline
        var executionType = "STANDARD"
        if case .object(let config)? = p["ProcessorConfig"] {
            if case .string(let m)? = config["Mode"] {
                if let parsed = StateGraph.ProcessorMode(rawValue: m) { mode = parsed } else {
                    error("The value of 'Mode' must be INLINE or DISTRIBUTED", pointer(pointer(here, "ProcessorConfig"), "Mode"))
                }
            }
            if let t = config["ExecutionType"] {
                if case .string(let type) = t, type == "STANDARD" || type == "EXPRESS" { executionType = type } else {
                    error("The value of 'ExecutionType' must be STANDARD or EXPRESS", pointer(pointer(here, "ProcessorConfig"), "ExecutionType"))
                }
            }
        }
        if mode == .inline {
            for field in ["ItemReader", "ItemBatcher", "ResultWriter"] where o[field] != nil {
                error("The field '\(field)' is only supported for a Map state in DISTRIBUTED mode", pointer(location, field))
            }
        }
        if o["ResultWriter"] != nil {
            diagnostics.append(Diagnostic("RESULT_WRITER_IGNORED",
                                          "ResultWriter is not emulated (S3 is not available); results stay in the state's output",
                                          at: pointer(location, "ResultWriter"), severity: .warning))
        }
        var processorObject = p
        processorObject["ProcessorConfig"] = nil
        guard let graph = graph(processorObject, at: here, mode: mode) else { return nil }
        var itemsPath: JSONPath?
        var items: JSONataTemplate?
        var jsonataSelector: JSONataTemplate?
        if language == .jsonata {
            if let v = o["Items"] {
                switch v {
                case .array: items = jsonata(v, at: pointer(location, "Items"))
                case .string(let s) where JSONataField.isExpression(s): items = jsonata(v, at: pointer(location, "Items"))
                default: error("The value for the field 'Items' must be an array or a JSONata expression", pointer(location, "Items"))
                }
            }
            if let v = o["ItemSelector"] { jsonataSelector = jsonata(v, at: pointer(location, "ItemSelector")) }
        } else if let v = o["ItemsPath"] {
            if case .string(let s) = v, let path = try? JSONPath.parse(s), path.isReferencePath { itemsPath = path } else {
                error("The value for the field 'ItemsPath' must be a valid Reference Path", pointer(location, "ItemsPath"))
            }
        }
        let selectorField = o["ItemSelector"] != nil ? "ItemSelector" : "Parameters"
        var selector: PayloadTemplate?
        if language == .jsonPath, let v = o[selectorField] { selector = template(v, at: pointer(location, selectorField), mustBeObject: true) }
        var batcher: MapState.ItemBatcher?
        if case .object(let b)? = o["ItemBatcher"] {
            let bl = pointer(location, "ItemBatcher")
            var batchInput: PayloadTemplate?
            if let v = b["BatchInput"] { batchInput = template(v, at: pointer(bl, "BatchInput"), mustBeObject: true) }
            batcher = MapState.ItemBatcher(
                maxItemsPerBatch: integerField(b, "MaxItemsPerBatch", at: bl, minimum: 1),
                maxInputBytesPerBatch: integerField(b, "MaxInputBytesPerBatch", at: bl, minimum: 1),
                batchInput: batchInput)
        }
        return MapState(
            itemsPath: itemsPath, itemSelector: selector, items: items, jsonataItemSelector: jsonataSelector, processor: graph,
            maxConcurrency: integer(o, "MaxConcurrency", at: location, minimum: 0, language: language),
            toleratedFailureCount: integer(o, "ToleratedFailureCount", at: location, minimum: 0, language: language),
            toleratedFailurePercentage: integer(o, "ToleratedFailurePercentage", at: location, minimum: 0, language: language),
            itemBatcher: batcher, itemReader: o["ItemReader"], label: o["Label"]?.stringValue,
            executionType: executionType, processorDefinition: .object(processorObject))
    }
}
