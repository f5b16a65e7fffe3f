// DynamoDB's expression language: one lexer, parser and checker shared by condition,
// filter, key-condition, projection and update expressions, each parsed once into a
// typed tree that is evaluated by plain functions. Every error is a `DynamoDBError`
// (ValidationException) worded as AWS words it.
//
// How the service uses it, for one request:
//
//     let ctx = try ExpressionContext(validatingNames: request.names, values: request.values)
//     // Parse in the order DynamoDB checks them — UpdateItem: update, condition;
//     // Query: filter, projection, key condition; Scan: filter, projection.
//     let update = try UpdateExpression.parse(text, context: ctx)
//     let condition = try ConditionExpression.parse(text, kind: .condition, context: ctx)
//     let filter = try ConditionExpression.parse(text, kind: .filter, context: ctx)
//     let projection = try ProjectionExpression.parse(text, context: ctx)
//     let keys = try KeyConditionExpression.parse(text, context: ctx)
//     try ctx.ensureAllUsed()              // unused #names, then unused :values
//     let range = try keys.resolve(schema) // key-condition rules, then the key schema
//
// - `ConditionExpression.evaluate(on: Item?) -> Bool` — `nil` is "no item".
// - `UpdateExpression.apply(to: Item, itemExists:) throws -> (item, updatedAttributes)`;
//   `paths` and `checkKeyAttributesUntouched(_:)` let the service refuse key updates;
//   `updatedValues(in:)` projects an item onto the updated paths (UPDATED_OLD/NEW).
// - `ProjectionExpression.apply(to: Item) -> Item` keeps nested maps and list elements.
// - `KeyConditionExpression.resolve(_:)` gives a `KeyCondition`: the partition value and
//   an optional `SortKeyCondition` (=, <, <=, >, >=, BETWEEN, begins_with) for a range
//   scan; `KeyCondition.matches(_:)` checks one item.
//
// Limits enforced while parsing: 4 KB per expression string (checked before anything
// else, so 1 MB input costs one byte count), 300 operators and functions, 32 document
// path levels, 100 IN operands — and, Offcloud's own, parentheses nested at most 128
// deep, so no input can exhaust the stack.

/// Which request parameter an expression came from; names the parameter in errors.
public enum ExpressionKind: String, Sendable {
    case condition = "ConditionExpression"
    case filter = "FilterExpression"
    case keyCondition = "KeyConditionExpression"
    case update = "UpdateExpression"
    case projection = "ProjectionExpression"

    func error(_ message: String) -> DynamoDBError { .validation("Invalid \(rawValue): \(message)") }
}

/// One step of a document path: a map member or a list element.
public enum PathElement: Hashable, Sendable {
    case name(String)
    case index(Int)
}

/// A document path with its `#name` placeholders already replaced: `a.b[2].c`.
public struct DocumentPath: Hashable, Sendable, CustomStringConvertible {
    public var elements: [PathElement]

    public init(_ elements: [PathElement]) { self.elements = elements }

    /// The top-level attribute the path starts at.
    public var attribute: String {
        if case .name(let n) = elements.first { return n }
        return ""
    }

    public var description: String {
        var out = ""
        for (i, e) in elements.enumerated() {
            switch e {
            case .name(let n): out += i == 0 ? n : ".\(n)"
            case .index(let x): out += "[\(x)]"
            }
        }
        return out
    }

    /// As AWS prints a path in messages: `[a, b, [2]]`.
    var messageText: String {
        "[" + elements.map { e -> String in
            switch e {
            case .name(let n): return n
            case .index(let x): return "[\(x)]"
            }
        }.joined(separator: ", ") + "]"
    }
}

/// ExpressionAttributeNames and ExpressionAttributeValues of one request, shared by all
/// its expressions; records which placeholders the expressions used.
public final class ExpressionContext {
    public let names: [String: String]
    public let values: [String: AttributeValue]
    private(set) var usedNames: Set<String> = []
    private(set) var usedValues: Set<String> = []

    public init(names: [String: String]? = nil, values: [String: AttributeValue]? = nil) {
        self.names = names ?? [:]
        self.values = values ?? [:]
    }

    /// Also checks the maps themselves the way DynamoDB does before reading any
    /// expression: not empty, keys of the form `#word` / `:word`, no empty names.
    public convenience init(validatingNames names: [String: String]?, values: [String: AttributeValue]?) throws {
        if let names {
            if names.isEmpty { throw DynamoDBError.validation("ExpressionAttributeNames must not be empty") }
            for key in names.keys.sorted() {
                if key.utf8.count > 255 {
                    throw DynamoDBError.validation("ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: \(key.utf8.count)")
                }
                if !Self.isPlaceholder(key, sigil: "#") {
                    throw DynamoDBError.validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"\(key)\"")
                }
                if names[key]!.isEmpty {
                    throw DynamoDBError.validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key \(key)")
                }
            }
        }
        if let values {
            if values.isEmpty { throw DynamoDBError.validation("ExpressionAttributeValues must not be empty") }
            for key in values.keys.sorted() {
                if key.utf8.count > 255 {
                    throw DynamoDBError.validation("ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;")
                }
                if !Self.isPlaceholder(key, sigil: ":") {
                    throw DynamoDBError.validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"\(key)\"")
                }
            }
        }
        self.init(names: names, values: values)
    }

    static func isPlaceholder(_ key: String, sigil: Unicode.Scalar) -> Bool {
        let scalars = Array(key.unicodeScalars)
        guard scalars.count > 1, scalars[0] == sigil else { return false }
        return scalars.dropFirst().allSatisfy(ExpressionLexer.isWordPart)
    }

    func useName(_ placeholder: String) -> String? {
        guard let name = names[placeholder] else { return nil }
        usedNames.insert(placeholder)
        return name
    }

    func useValue(_ placeholder: String) -> AttributeValue? {
        guard let value = values[placeholder] else { return nil }
        usedValues.insert(placeholder)
        return value
    }

    /// Fails when a name or value was given but no expression of the request used it.
    /// Names are checked before values; keys are listed in the order DynamoDB's Java
    /// HashSet lists them.
    public func ensureAllUsed() throws {
        let unusedNames = names.keys.filter { !usedNames.contains($0) }
        if !unusedNames.isEmpty {
            let keys = Self.javaSetOrder(unusedNames, total: names.count).joined(separator: ", ")
            throw DynamoDBError.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {\(keys)}")
        }
        let unusedValues = values.keys.filter { !usedValues.contains($0) }
        if !unusedValues.isEmpty {
            let keys = Self.javaSetOrder(unusedValues, total: values.count).joined(separator: ", ")
            throw DynamoDBError.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {\(keys)}")
        }
    }

    /// The iteration order of a `java.util.HashSet` holding `keys`, sized for `total`.
    static func javaSetOrder(_ keys: [String], total: Int) -> [String] {
        var capacity = 1
        let wanted = max(Int(Double(total) / 0.75) + 1, 16)
        while capacity < wanted { capacity *= 2 }
        func slot(_ key: String) -> Int {
            var h: Int32 = 0
            for unit in key.utf16 { h = h &* 31 &+ Int32(unit) }
            let spread = h ^ Int32(bitPattern: UInt32(bitPattern: h) >> 16)
            return Int(spread) & (capacity - 1)
        }
        let slotted: [(slot: Int, key: String)] = keys.sorted().map { (slot: slot($0), key: $0) }
        let ordered = slotted.sorted { (a: (slot: Int, key: String), b: (slot: Int, key: String)) -> Bool in
            a.slot != b.slot ? a.slot < b.slot : a.key < b.key
        }
        return ordered.map { $0.key }
    }
}

/// Limits DynamoDB places on every expression.
enum ExpressionLimits {
    static let maxBytes = 4096
    static let maxOperators = 300
    static let maxPathDepth = 32
    static let maxInOperands = 100
    /// Parentheses nested deeper than this are refused before parsing. DynamoDB's own
    /// bound is its 300 operators; this one is ours, far above real expressions, and
    /// keeps recursion (parse, check, evaluate) inside a 512 KB thread stack even in a
    /// debug build.
    static let maxNesting = 128

    /// The checks before parsing: empty, then size.
    static func checkText(_ text: String, kind: ExpressionKind) throws {
        if text.isEmpty { throw kind.error("The expression can not be empty;") }
        let size = text.utf8.count
        if size > maxBytes { throw kind.error("Expression size has exceeded the maximum allowed size; expression size: \(size)") }
    }
}
