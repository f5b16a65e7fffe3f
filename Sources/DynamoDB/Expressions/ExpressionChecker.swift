/// Checks a parsed expression the way DynamoDB does and builds its typed tree.
///
/// DynamoDB reports the first problem it meets, in two passes over the expression as
/// written: first reserved words, list indexes and where each function may be used;
/// then placeholders, operand types and operand rules. Updates add their own steps
/// (repeated sections, then overlapping paths) between the two passes.
struct ExpressionChecker {
    let kind: ExpressionKind
    let context: ExpressionContext

    static let conditionFunctions: [String: Int] = [
        "attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2, "begins_with": 2, "contains": 2,
    ]
    static let operandFunctions: [String: Int] = ["size": 1]
    static let updateFunctions: [String: Int] = ["if_not_exists": 2, "list_append": 2]
    static func arity(of name: String) -> Int? {
        conditionFunctions[name] ?? operandFunctions[name] ?? updateFunctions[name]
    }

    static let typeNames: Set<String> = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"]
    /// How DynamoDB lists the type names it accepts, and the types it expects when the
    /// second operand of attribute_type is not a value.
    static let typeNameList = "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}"
    static let anyTypeList = "{SS,M,DECIMAL,DOUBLESET,HDS,N,B,DICT,INTSET,BOOL,HD,BS,INT,DECIMALSET,NULL,FLOAT,FS,S,L,NS,DOUBLE}"

    var inUpdate: Bool { kind == .update }

    func error(_ message: String) -> DynamoDBError { kind.error(message) }

    // MARK: - First pass: reserved words, indexes, function names and places

    func firstPass(_ path: RawPath) throws {
        for part in path.parts {
            switch part {
            case .index(let t):
                if t.text.count > 10 || Int(t.text).map({ $0 > Int(Int32.max) }) ?? true {
                    throw error("List index is not within the allowable range; index: [\(t.text)]")
                }
            case .identifier(let t):
                if ReservedWords.isReserved(t.text) {
                    throw error("Attribute name is a reserved keyword; reserved keyword: \(t.text)")
                }
            case .nameRef:
                break
            }
        }
    }

    func firstPass(_ operand: RawOperand, insideCall parent: String? = nil) throws {
        switch operand {
        case .path(let p): try firstPass(p)
        case .value: break
        case .paren(let o): try firstPass(o, insideCall: parent)
        case .arithmetic(let a, _, let b):
            try firstPass(a)
            try firstPass(b)
        case .call(let call): try firstPass(call, asCondition: false, insideCall: parent)
        }
    }

    func firstPass(_ condition: RawCondition) throws {
        switch condition {
        case .or(let a, let b), .and(let a, let b):
            try firstPass(a)
            try firstPass(b)
        case .not(let c), .paren(let c):
            try firstPass(c)
        case .compare(let a, _, let b):
            try firstPass(a)
            try firstPass(b)
        case .between(let a, let b, let c):
            try firstPass(a)
            try firstPass(b)
            try firstPass(c)
        case .in(let a, let list):
            try firstPass(a)
            for o in list { try firstPass(o) }
        case .call(let call):
            try firstPass(call, asCondition: true, insideCall: nil)
        }
    }

    func firstPass(_ call: RawCall, asCondition: Bool, insideCall parent: String?) throws {
        try checkPlace(call, asCondition: asCondition, insideCall: parent)
        for arg in call.args { try firstPass(arg, insideCall: call.name.text) }
    }

    /// Whether the function exists and may be used where it is.
    func checkPlace(_ call: RawCall, asCondition: Bool, insideCall parent: String?) throws {
        let name = call.name.text
        guard let arity = Self.arity(of: name) else { throw error("Invalid function name; function: \(name)") }
        if inUpdate {
            if Self.updateFunctions[name] == nil {
                throw error("The function is not allowed in an update expression; function: \(name)")
            }
            if name == "list_append", parent == "list_append" {
                throw error("The function is not allowed to be used this way in an expression; function: \(name)")
            }
        } else {
            if Self.updateFunctions[name] != nil {
                throw error("The function is not allowed in a condition expression; function: \(name)")
            }
            if asCondition != (Self.conditionFunctions[name] != nil) {
                throw error("The function is not allowed to be used this way in an expression; function: \(name)")
            }
            // An update's functions are counted with its placeholders, in the second pass.
            try checkArity(call, arity)
        }
    }

    func checkArity(_ call: RawCall, _ arity: Int) throws {
        if call.args.count != arity {
            throw error("Incorrect number of operands for operator or function; operator or function: \(call.name.text), number of operands: \(call.args.count)")
        }
    }

    // MARK: - Placeholders and paths

    /// The attribute name a `#name` stands for, without counting it as used.
    func definedName(_ token: ExpressionToken) throws -> String {
        guard let name = context.names[token.text] else {
            throw error("An expression attribute name used in the document path is not defined; attribute name: \(token.text)")
        }
        return name
    }

    /// Fails on the first `#name` in the path that is not defined.
    func checkNamesDefined(_ path: RawPath) throws {
        for part in path.parts {
            if case .nameRef(let t) = part { _ = try definedName(t) }
        }
    }

    /// Fails on the first undefined `#name` anywhere in an operand.
    func checkNamesDefined(_ operand: RawOperand) throws {
        switch operand {
        case .path(let p): try checkNamesDefined(p)
        case .value: break
        case .paren(let o): try checkNamesDefined(o)
        case .arithmetic(let a, _, let b):
            try checkNamesDefined(a)
            try checkNamesDefined(b)
        case .call(let c):
            for arg in c.args { try checkNamesDefined(arg) }
        }
    }

    /// The path with its names resolved, without counting them as used.
    func peekPath(_ path: RawPath) throws -> DocumentPath {
        DocumentPath(try path.parts.map { part in
            switch part {
            case .identifier(let t): return .name(t.text)
            case .nameRef(let t): return .name(try definedName(t))
            case .index(let t): return .index(Int(t.text) ?? 0)
            }
        })
    }

    /// The path with its names resolved and counted as used; at most 32 levels deep.
    func path(_ path: RawPath) throws -> DocumentPath {
        var elements: [PathElement] = []
        for part in path.parts {
            switch part {
            case .identifier(let t): elements.append(.name(t.text))
            case .nameRef(let t):
                _ = try definedName(t)
                elements.append(.name(context.useName(t.text)!))
            case .index(let t): elements.append(.index(Int(t.text) ?? 0))
            }
        }
        if elements.count > ExpressionLimits.maxPathDepth {
            throw error("The document path has too many nesting levels; nesting levels: \(elements.count)")
        }
        return DocumentPath(elements)
    }

    func value(_ token: ExpressionToken) throws -> AttributeValue {
        guard let v = context.useValue(token.text) else {
            throw error("An expression attribute value used in expression is not defined; attribute value: \(token.text)")
        }
        return v
    }

    // MARK: - Paths that may not overlap (updates and projections)

    /// Two paths may not be the same or one inside the other ("overlap"), nor use one
    /// attribute both as a map and as a list ("conflict").
    func checkOverlaps(_ paths: [DocumentPath]) throws {
        for j in paths.indices {
            for i in 0..<j {
                let a = paths[i].elements, b = paths[j].elements
                var clash = "overlap"
                for k in 0..<min(a.count, b.count) {
                    switch (a[k], b[k]) {
                    case (.name, .index), (.index, .name):
                        clash = "conflict"
                    default:
                        if a[k] != b[k] { clash = "" }
                    }
                    if clash != "overlap" { break }
                }
                if !clash.isEmpty {
                    throw error("Two document paths \(clash) with each other; must remove or rewrite one of these paths; path one: \(paths[i].messageText), path two: \(paths[j].messageText)")
                }
            }
        }
    }
}
