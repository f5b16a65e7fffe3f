import JSON

/// A request member that is missing or of the wrong type, with its JSON path.
public enum ShapeError: Error, Sendable, Equatable {
    case missing(path: String)
    /// `lenient` is true when the value came from the query protocol, where every
    /// scalar arrives as text.
    case typeMismatch(path: String, expected: String, found: String, lenient: Bool)

    /// The member's name: the last path component.
    public var memberName: String {
        let path: String
        switch self {
        case .missing(let p), .typeMismatch(let p, _, _, _): path = p
        }
        return String(path.split(separator: ".").last ?? Substring(path))
    }
}

/// Reads typed members out of a decoded request object, once, reporting the JSON
/// path of anything missing or mistyped. Requests from the query protocol carry
/// every scalar as a string, so a lenient reader also accepts `"10"` for an integer
/// and `"true"` for a boolean.
public struct ShapeReader: Sendable {
    public let object: JSONObject
    public let path: String
    public let lenient: Bool

    public init(_ value: JSONValue, path: String = "", lenient: Bool = false) throws {
        guard case .object(let object) = value else {
            throw ShapeError.typeMismatch(path: path.isEmpty ? "$" : path, expected: "structure", found: value.typeName, lenient: lenient)
        }
        self.object = object
        self.path = path
        self.lenient = lenient
    }

    func memberPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func has(_ key: String) -> Bool {
        if let v = object[key], !v.isNull { return true }
        return false
    }

    public func value(_ key: String) -> JSONValue? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    func mismatch(_ key: String, _ expected: String, _ found: JSONValue) -> ShapeError {
        .typeMismatch(path: memberPath(key), expected: expected, found: found.typeName, lenient: lenient)
    }

    public func string(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw mismatch(key, "string", v) }
        return s
    }

    public func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else { throw ShapeError.missing(path: memberPath(key)) }
        return s
    }

    public func int(_ key: String) throws -> Int? {
        guard let v = value(key) else { return nil }
        switch v {
        case .number(let n):
            if let i = Int(n) { return i }
            throw mismatch(key, "integer", v)
        case .string(let s) where lenient:
            if let i = Int(s.trimmingSpaces) { return i }
            throw ShapeError.typeMismatch(path: memberPath(key), expected: "integer", found: "'\(s)'", lenient: true)
        default:
            throw mismatch(key, "integer", v)
        }
    }

    public func requiredInt(_ key: String) throws -> Int {
        guard let i = try int(key) else { throw ShapeError.missing(path: memberPath(key)) }
        return i
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let v = value(key) else { return nil }
        switch v {
        case .bool(let b): return b
        case .string(let s) where lenient:
            if s == "true" { return true }
            if s == "false" { return false }
            throw ShapeError.typeMismatch(path: memberPath(key), expected: "boolean", found: "'\(s)'", lenient: true)
        default:
            throw mismatch(key, "boolean", v)
        }
    }

    public func requiredBool(_ key: String) throws -> Bool {
        guard let b = try bool(key) else { throw ShapeError.missing(path: memberPath(key)) }
        return b
    }

    public func stringList(_ key: String) throws -> [String]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v else { throw mismatch(key, "list", v) }
        return try items.enumerated().map { i, item in
            guard case .string(let s) = item else {
                throw ShapeError.typeMismatch(path: "\(memberPath(key))[\(i)]", expected: "string", found: item.typeName, lenient: lenient)
            }
            return s
        }
    }

    /// A map of string to string, in the order the client sent it.
    public func stringMap(_ key: String) throws -> [(key: String, value: String)]? {
        guard let v = value(key) else { return nil }
        guard case .object(let o) = v else { throw mismatch(key, "map", v) }
        return try o.members.map { m in
            guard case .string(let s) = m.value else {
                throw ShapeError.typeMismatch(path: "\(memberPath(key)).\(m.key)", expected: "string", found: m.value.typeName, lenient: lenient)
            }
            return (key: m.key, value: s)
        }
    }

    public func structure(_ key: String) throws -> ShapeReader? {
        guard let v = value(key) else { return nil }
        return try ShapeReader(v, path: memberPath(key), lenient: lenient)
    }

    public func structureList(_ key: String) throws -> [ShapeReader]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v else { throw mismatch(key, "list", v) }
        return try items.enumerated().map { i, item in
            try ShapeReader(item, path: "\(memberPath(key))[\(i)]", lenient: lenient)
        }
    }

    /// A map whose values are structures, in the order the client sent it.
    public func structureMap(_ key: String) throws -> [(key: String, value: ShapeReader)]? {
        guard let v = value(key) else { return nil }
        guard case .object(let o) = v else { throw mismatch(key, "map", v) }
        return try o.members.map { m in
            (key: m.key, value: try ShapeReader(m.value, path: "\(memberPath(key)).\(m.key)", lenient: lenient))
        }
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
