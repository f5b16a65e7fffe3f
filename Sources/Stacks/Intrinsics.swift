import Foundation
import JSON

/// Resolves CloudFormation's intrinsic functions and references in a value, given
/// what is known so far: parameters and pseudo parameters, the Ref values and
/// attributes of resources already deployed, conditions and mappings.
struct Intrinsics {
    var parameters: [String: JSONValue]
    var refs: [String: JSONValue] = [:]
    var attributes: [String: [String: JSONValue]] = [:]
    var conditions: [String: Bool] = [:]
    var mappings: JSONObject
    var region: String
    /// Where the value being resolved sits, for error messages.
    var resource = ""
    var property: String?

    func fail(_ message: String) -> TemplateError {
        resource.isEmpty ? TemplateError(message) : TemplateError(resource: resource, property: property, message)
    }

    /// nil when the value is `AWS::NoValue` (the property is removed).
    func resolve(_ value: JSONValue) throws -> JSONValue? {
        switch value {
        case .array(let list):
            return .array(try list.compactMap { try resolve($0) })
        case .object(let o):
            if o.count == 1, let member = o.members.first, member.key == "Ref" || member.key.hasPrefix("Fn::") {
                return try function(member.key, member.value)
            }
            var out = JSONObject()
            for member in o {
                if let v = try resolve(member.value) { out.append(member.key, v) }
            }
            return .object(out)
        default:
            return value
        }
    }

    func required(_ value: JSONValue) throws -> JSONValue {
        guard let v = try resolve(value) else { throw fail("AWS::NoValue cannot be used here.") }
        return v
    }

    func string(_ value: JSONValue, _ function: String) throws -> String {
        switch try required(value) {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: throw fail("\(function) needs a string here.")
        }
    }

    func list(_ value: JSONValue, _ function: String) throws -> [JSONValue] {
        guard case .array(let list) = try required(value) else { throw fail("\(function) needs a list here.") }
        return list
    }

    func reference(_ name: String) throws -> JSONValue? {
        if name == "AWS::NoValue" { return nil }
        if let value = parameters[name] ?? refs[name] { return value }
        throw fail("Unresolved reference \(name): it names no parameter or resource.")
    }

    func attribute(_ resource: String, _ name: String) throws -> JSONValue {
        guard let attributes = attributes[resource] else {
            throw fail("Fn::GetAtt names \(resource), which is not a resource of the template.")
        }
        guard let value = attributes[name] else {
            throw fail("Fn::GetAtt: \(resource) has no attribute \(name) (it has \(attributes.keys.sorted().joined(separator: ", "))).")
        }
        return value
    }

    func function(_ name: String, _ argument: JSONValue) throws -> JSONValue? {
        switch name {
        case "Ref":
            guard case .string(let target) = argument else { throw fail("Ref takes the name of a parameter or resource.") }
            return try reference(target)
        case "Fn::GetAtt":
            let parts: [String]
            switch argument {
            case .string(let s): parts = s.split(separator: ".", maxSplits: 1).map(String.init)
            case .array(let list): parts = try list.map { try string($0, name) }
            default: parts = []
            }
            guard parts.count == 2 else { throw fail("Fn::GetAtt takes [resource, attribute].") }
            return try attribute(parts[0], parts[1])
        case "Fn::Sub":
            return .string(try sub(argument))
        case "Fn::Join":
            let args = try list(argument, name)
            guard args.count == 2 else { throw fail("Fn::Join takes [delimiter, [values]].") }
            let delimiter = try string(args[0], name)
            return .string(try list(args[1], name).map { try string($0, name) }.joined(separator: delimiter))
        case "Fn::Select":
            let args = try list(argument, name)
            guard args.count == 2, let index = Int(try string(args[0], name)) else { throw fail("Fn::Select takes [index, [values]].") }
            let values = try list(args[1], name)
            guard values.indices.contains(index) else { throw fail("Fn::Select index \(index) is out of range (\(values.count) values).") }
            return values[index]
        case "Fn::Split":
            let args = try list(argument, name)
            guard args.count == 2 else { throw fail("Fn::Split takes [delimiter, string].") }
            let delimiter = try string(args[0], name), text = try string(args[1], name)
            return .array(text.components(separatedBy: delimiter).map { .string($0) })
        case "Fn::If":
            guard case .array(let args) = argument, args.count == 3, case .string(let condition) = args[0] else {
                throw fail("Fn::If takes [condition, then, else].")
            }
            guard let holds = conditions[condition] else { throw fail("Fn::If names the unknown condition \(condition).") }
            return try resolve(holds ? args[1] : args[2])
        case "Fn::Base64":
            return .string(Data(try string(argument, name).utf8).base64EncodedString())
        case "Fn::FindInMap":
            let args = try list(argument, name)
            guard args.count == 3 else { throw fail("Fn::FindInMap takes [map, top-level key, second-level key].") }
            let map = try string(args[0], name), top = try string(args[1], name), second = try string(args[2], name)
            guard let value = mappings[map]?[top]?[second] else { throw fail("Fn::FindInMap: \(map)/\(top)/\(second) is not in Mappings.") }
            return value
        case "Fn::GetAZs":
            return .array(["a", "b", "c"].map { .string(region + $0) })
        case "Fn::Length":
            return .integer(try list(argument, name).count)
        case "Fn::ToJsonString":
            return .string(try required(argument).jsonString)
        case "Fn::ImportValue":
            throw fail("Fn::ImportValue needs another stack's exports; Offcloud deploys one template.")
        case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
            return .bool(try condition(.object(JSONObject([.init(name, argument)]))))
        default:
            throw fail("\(name) is not an intrinsic function CloudFormation knows.")
        }
    }

    /// `Fn::Sub` with `${Name}`, `${Resource.Attribute}` and `${!Literal}`.
    func sub(_ argument: JSONValue) throws -> String {
        var template: String
        var variables: [String: JSONValue] = [:]
        switch argument {
        case .string(let s): template = s
        case .array(let list) where list.count == 2:
            template = try string(list[0], "Fn::Sub")
            guard case .object(let o) = list[1] else { throw fail("Fn::Sub takes a string or [string, {variables}].") }
            for member in o { variables[member.key] = try required(member.value) }
        default: throw fail("Fn::Sub takes a string or [string, {variables}].")
        }
        var result = ""
        while let open = template.range(of: "${") {
            result += template[..<open.lowerBound]
            guard let close = template[open.upperBound...].firstIndex(of: "}") else {
                throw fail("Fn::Sub: an unclosed ${ in \"\(template)\".")
            }
            let name = String(template[open.upperBound..<close])
            template = String(template[template.index(after: close)...])
            if name.hasPrefix("!") {
                result += "${" + name.dropFirst() + "}"
                continue
            }
            let value: JSONValue?
            if let v = variables[name] {
                value = v
            } else if !name.hasPrefix("AWS::"), let dot = name.firstIndex(of: "."), parameters[name] == nil {
                value = try attribute(String(name[..<dot]), String(name[name.index(after: dot)...]))
            } else {
                value = try reference(name)
            }
            result += try string(value ?? "", "Fn::Sub")
        }
        return result + template
    }

    /// Conditions: Fn::Equals, Fn::And, Fn::Or, Fn::Not and `{"Condition": name}`.
    func condition(_ value: JSONValue) throws -> Bool {
        guard case .object(let o) = value, o.count == 1, let member = o.members.first else {
            if case .bool(let b) = value { return b }
            throw fail("A condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition.")
        }
        switch member.key {
        case "Condition":
            guard case .string(let name) = member.value, let holds = conditions[name] else {
                throw fail("Condition names an unknown condition.")
            }
            return holds
        case "Fn::Equals":
            let args = try list(member.value, member.key)
            guard args.count == 2 else { throw fail("Fn::Equals takes two values.") }
            return try string(args[0], member.key) == (try string(args[1], member.key))
        case "Fn::And":
            return try list(member.value, member.key).allSatisfy { try condition($0) }
        case "Fn::Or":
            return try list(member.value, member.key).contains { try condition($0) }
        case "Fn::Not":
            let args = try list(member.value, member.key)
            guard args.count == 1 else { throw fail("Fn::Not takes one condition.") }
            return !(try condition(args[0]))
        default:
            throw fail("\(member.key) is not a condition function.")
        }
    }

    /// Every resource a value refers to (Ref, Fn::GetAtt, Fn::Sub variables), for ordering.
    static func references(in value: JSONValue, into found: inout Set<String>) {
        switch value {
        case .array(let list):
            for v in list { references(in: v, into: &found) }
        case .object(let o):
            if o.count == 1, let member = o.members.first {
                switch member.key {
                case "Ref":
                    if let s = member.value.stringValue { found.insert(s) }
                case "Fn::GetAtt":
                    if let s = member.value.stringValue { found.insert(String(s.prefix { $0 != "." })) }
                    if let first = member.value.arrayValue?.first?.stringValue { found.insert(first) }
                case "Fn::Sub":
                    let template = member.value.stringValue ?? member.value.arrayValue?.first?.stringValue ?? ""
                    var rest = Substring(template)
                    while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
                        let name = rest[open.upperBound..<close]
                        if !name.hasPrefix("!") { found.insert(String(name.prefix { $0 != "." })) }
                        rest = rest[rest.index(after: close)...]
                    }
                    if let variables = member.value.arrayValue?.dropFirst().first { references(in: variables, into: &found) }
                    return
                default: break
                }
            }
            for member in o { references(in: member.value, into: &found) }
        default:
            break
        }
    }
}
