import JSON

/// The JSONata side of parsing: `{% … %}` fields compiled once, variable names checked
/// for `Assign` in both languages.
extension DefinitionParser {
    /// The fields of a JSONata Choice rule.
    static let jsonataRuleFields: Set<String> = ["Condition", "Next", "Assign", "Output", "Comment"]

    mutating func jsonata(_ value: JSONValue, at location: String) -> JSONataTemplate {
        JSONataTemplate.compile(value, at: location, diagnostics: &diagnostics)
    }

    /// A JSONata `Assign`: an object of variable names to values or expressions.
    mutating func jsonataAssign(_ value: JSONValue, at location: String) -> JSONataTemplate? {
        guard case .object(let o) = value else {
            error("The value must be a JSON object", location)
            return nil
        }
        for key in o.keys { checkVariableName(key, at: pointer(location, key)) }
        return jsonata(value, at: location)
    }

    /// A JSONPath `Assign`: keys ending in `.$` take paths or intrinsic calls.
    mutating func assignTemplate(_ value: JSONValue, at location: String) -> PayloadTemplate {
        for key in value.objectValue?.keys ?? [] {
            checkVariableName(key.hasSuffix(".$") ? String(key.dropLast(2)) : key, at: pointer(location, key))
        }
        return template(value, at: location, mustBeObject: true)
    }

    /// Variable names are Unicode identifiers of at most 80 characters; `states` is
    /// Step Functions' own (`$states`).
    mutating func checkVariableName(_ name: String, at location: String) {
        if name == "states" {
            error("The variable name 'states' is reserved", location)
            return
        }
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, name.count <= 80,
              first.properties.isIDStart || first == "_",
              scalars.dropFirst().allSatisfy({ $0.properties.isIDContinue })
        else {
            error("The variable name '\(name)' is invalid: it must be an identifier of 1 to 80 characters", location)
            return
        }
    }

    /// `TimeoutSeconds`, `MaxConcurrency`, …: in JSONPath a literal (or the `…Path` field);
    /// in JSONata a literal or a `{% … %}` expression.
    mutating func integer(_ o: JSONObject, _ field: String, at location: String, minimum: Int, maximum: Int? = nil,
                          language: QueryLanguage) -> IntegerField? {
        guard language == .jsonata else {
            return integerField(o, field, at: location, minimum: minimum, maximum: maximum)
        }
        guard let value = o[field] else { return nil }
        if case .string(let s) = value, JSONataField.isExpression(s) {
            return .expression(jsonata(value, at: pointer(location, field)))
        }
        return positiveInteger(value, field, at: pointer(location, field), minimum: minimum, maximum: maximum).map { .value($0) }
    }

    /// One JSONata Choice rule: `Condition` (a boolean or an expression), `Next`, and its
    /// own `Output` and `Assign`.
    mutating func jsonataChoiceBranch(_ item: JSONValue, at here: String, names: [String: Int]) -> ChoiceBranch? {
        guard case .object(let r) = item else {
            error("A Choice Rule must be a JSON object", here)
            return nil
        }
        for key in r.keys where !Self.jsonataRuleFields.contains(key) {
            let base = key.hasSuffix("Path") ? String(key.dropLast(4)) : key
            if ChoiceRule.ruleFields.contains(key) || ChoiceRule.operators[key] != nil || ChoiceRule.operators[base] != nil {
                error("The QueryLanguage is set to 'JSONata', but field '\(key)' is only supported for the 'JSONPath' QueryLanguage", here)
            } else {
                error("Field '\(key)' is not supported", here)
            }
        }
        var condition: JSONataTemplate?
        switch r["Condition"] {
        case nil:
            error("The field 'Condition' is required for a Choice Rule in a JSONata state", here)
        case .bool?:
            condition = .literal(r["Condition"]!)
        case .string(let s)? where JSONataField.isExpression(s):
            condition = jsonata(.string(s), at: pointer(here, "Condition"))
        default:
            error("The value for the field 'Condition' must be a boolean or a JSONata expression", pointer(here, "Condition"))
        }
        guard case .string(let next)? = r["Next"] else {
            error("A Choice Rule must have a 'Next' field", here)
            return nil
        }
        guard let n = target(next, at: pointer(here, "Next"), names: names), let condition else { return nil }
        var branch = ChoiceBranch(rule: .and([]), next: n, assign: nil)
        branch.condition = condition
        if let v = r["Output"] { branch.output = jsonata(v, at: pointer(here, "Output")) }
        if let v = r["Assign"] { branch.jsonataAssign = jsonataAssign(v, at: pointer(here, "Assign")) }
        return branch
    }

    /// A JSONata Wait: `Seconds` or `Timestamp`, each a literal or an expression.
    mutating func jsonataWait(_ o: JSONObject, at location: String) -> WaitState? {
        let present = ["Seconds", "Timestamp"].filter { o[$0] != nil }
        guard present.count == 1, let field = present.first else {
            error("A Wait state must have exactly one of 'Seconds', 'Timestamp'", location)
            return nil
        }
        let here = pointer(location, field)
        if case .string(let s)? = o[field], JSONataField.isExpression(s) {
            let template = jsonata(.string(s), at: here)
            return WaitState(duration: field == "Seconds" ? .secondsExpression(template) : .timestampExpression(template))
        }
        if field == "Seconds" {
            guard let s = positiveInteger(o[field]!, field, at: here, minimum: 0, maximum: 99_999_999) else { return nil }
            return WaitState(duration: .seconds(s))
        }
        guard case .string(let t)? = o[field], Timestamp(t) != nil else {
            error("The value for the field 'Timestamp' must be a valid RFC 3339 timestamp", here)
            return nil
        }
        return WaitState(duration: .timestamp(t))
    }

    /// A JSONata Fail's `Error` or `Cause`: a string, or an expression giving one.
    mutating func jsonataFailText(_ o: JSONObject, _ field: String, at location: String) -> FailState.Text? {
        guard let value = o[field] else { return nil }
        guard case .string(let s) = value else {
            error("The value for the field '\(field)' must be a string", pointer(location, field))
            return nil
        }
        if JSONataField.isExpression(s) { return .expression(jsonata(value, at: pointer(location, field))) }
        return .literal(s)
    }
}
