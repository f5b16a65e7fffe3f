/// A parsed UpdateExpression: its actions in writing order.
public struct UpdateExpression: Sendable {
    public let actions: [UpdateAction]
    /// For each action, which clause (section) it was written in, counted from 0.
    let clauseIndexes: [Int]

    public static func parse(_ text: String, context: ExpressionContext) throws -> UpdateExpression {
        try ExpressionLimits.checkText(text, kind: .update)
        var parser = ExpressionParser(text, kind: .update)
        let clauses = try parser.parseUpdate()
        let checker = ExpressionChecker(kind: .update, context: context)

        // Section by section, in the order sections first appear: reserved words,
        // indexes and functions; then whether the section was repeated.
        var sectionOrder: [UpdateClauseKind] = []
        for c in clauses where !sectionOrder.contains(c.kind) { sectionOrder.append(c.kind) }
        for section in sectionOrder {
            let group = clauses.filter { $0.kind == section }
            for clause in group {
                for action in clause.actions {
                    try checker.firstPass(action.path)
                    if let v = action.value { try checker.firstPass(v) }
                }
            }
            if group.count > 1 {
                throw checker.error("The \"\(section.rawValue)\" section can only be used once in an update expression;")
            }
        }

        // The written paths: their names, then overlaps, before any value is looked at.
        let raw = clauses.flatMap(\.actions)
        for action in raw { try checker.checkNamesDefined(action.path) }
        try checker.checkOverlaps(try raw.map { try checker.peekPath($0.path) })

        // Then every name, and then values and types, from the last action to the first.
        for action in raw.reversed() {
            try checker.checkNamesDefined(action.path)
            if let v = action.value { try checker.checkNamesDefined(v) }
        }
        var actions: [UpdateAction] = []
        for action in raw.reversed() {
            let path = try checker.path(action.path)
            switch action.clause {
            case .set:
                actions.append(.set(path, try checker.operand(action.value!)))
            case .remove:
                actions.append(.remove(path))
            case .add, .delete:
                guard case .value(let token)? = action.value else { throw checker.error("Syntax error") }
                let value = try checker.value(token)
                let allowed: Set<String> = action.clause == .add ? ["N", "SS", "NS", "BS"] : ["SS", "NS", "BS"]
                if !allowed.contains(value.typeName) {
                    throw checker.error("Incorrect operand type for operator or function; operator: \(action.clause.rawValue), operand type: \(Self.longTypeName(value)), typeSet: ALLOWED_FOR_\(action.clause.rawValue)_OPERAND")
                }
                actions.append(action.clause == .add ? .add(path, value) : .delete(path, value))
            }
        }
        return UpdateExpression(actions: actions.reversed(), clauseIndexes: raw.map(\.clauseIndex))
    }

    static func longTypeName(_ v: AttributeValue) -> String {
        switch v {
        case .s: return "STRING"
        case .n: return "NUMBER"
        case .b: return "BINARY"
        case .bool: return "BOOLEAN"
        case .null: return "NULL"
        case .l: return "LIST"
        case .m: return "MAP"
        case .ss: return "STRING_SET"
        case .ns: return "NUMBER_SET"
        case .bs: return "BINARY_SET"
        }
    }

    /// The paths the update writes, in writing order.
    public var paths: [DocumentPath] { actions.map(\.path) }

    /// The top-level attributes the update writes (for UPDATED_OLD and UPDATED_NEW).
    public var updatedAttributes: Set<String> { Set(actions.map(\.path.attribute)) }

    /// The paths the update reads: right-hand sides of SET.
    public var readPaths: [DocumentPath] {
        actions.flatMap { action -> [DocumentPath] in
            if case .set(_, let value) = action { return value.paths }
            return []
        }
    }

    /// An update may neither look inside nor write a key attribute; DynamoDB's checks
    /// and messages, in its order.
    public func checkKeyAttributesUntouched(_ keys: [String]) throws {
        for p in readPaths where p.elements.count > 1 && keys.contains(p.attribute) {
            throw DynamoDBError.validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: \(p.attribute)")
        }
        for p in paths where keys.contains(p.attribute) {
            throw DynamoDBError.validation("One or more parameter values were invalid: Cannot update attribute \(p.attribute). This attribute is part of the key")
        }
    }

    /// The item cut down to the paths this update wrote: what UPDATED_OLD (applied to
    /// the old item) and UPDATED_NEW (applied to the new one) return.
    public func updatedValues(in item: Item) -> Item {
        ProjectionExpression(paths: paths).apply(to: item)
    }
}
