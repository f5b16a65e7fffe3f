// WHERE conditions and UPDATE actions: PartiQL's predicates in the shape of DynamoDB's
// condition and update expressions.

extension PartiQLBinder {
    private static let comparators: [String: PartiQLComparator] = [
        "=": .equal, "<>": .notEqual, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    /// Functions a condition may call, by their lower-cased name.
    private static let conditionFunctions: Set<String> = ["begins_with", "contains", "attribute_type"]

    /// Types that have no ordering: an ordering comparison with a literal of one is refused.
    private static let unordered: Set<String> = ["BOOL", "NULL", "L", "M", "SS", "NS", "BS"]

    /// IS types DynamoDB supports, as `attribute_type` names.
    private static let isTypes: [String: String] = [
        "NULL": "NULL", "BOOL": "BOOL", "BOOLEAN": "BOOL", "BLOB": "B", "STRING": "S", "NUMERIC": "N",
        "STRUCT": "M", "TUPLE": "M", "LIST": "L",
    ]

    func whereCondition(_ e: PartiQLExpr) throws -> PartiQLCondition {
        guard let c = try condition(e) else { throw PartiQLError.whereNotBoolean }
        return c
    }

    /// The condition `e` states, or nil when `e` is not a predicate (a path, a literal).
    func condition(_ e: PartiQLExpr) throws -> PartiQLCondition? {
        switch e {
        case .binary("AND", let l, let r), .binary("OR", let l, let r):
            guard let a = try condition(l), let b = try condition(r) else { throw PartiQLError.andOrOperand }
            if case .binary("AND", _, _) = e { return .and(a, b) }
            return .or(a, b)
        case .unary("NOT", let x):
            guard let c = try condition(x) else { throw PartiQLError.notOperand }
            return .not(c)
        case .binary(let op, let l, let r):
            guard let comparator = Self.comparators[op] else {
                if op == "LIKE" { throw PartiQLError.conditionOperator(op) }
                return nil
            }
            let a = try operand(l), b = try operand(r)
            if comparator != .equal && comparator != .notEqual { try Self.checkOrdered([a, b], op: op) }
            return .compare(a, comparator, b)
        case .between(let x, let low, let high, let negated):
            let operands = [try operand(x), try operand(low), try operand(high)]
            try Self.checkOrdered(operands, op: "BETWEEN")
            let c = PartiQLCondition.between(operands[0], operands[1], operands[2])
            return negated ? .not(c) : c
        case .in(let x, let list, let negated):
            guard let p = try path(x) else { throw PartiQLError.invalidIn }
            let elements: [PartiQLOperand]
            switch list {
            case .list(let es), .bag(let es):
                elements = try es.map { try operand($0) }
            case .parameter(let i):
                guard case .l(let values) = parameters[i] else { throw PartiQLError.invalidIn }
                elements = values.map { .value($0) }
            default:
                throw PartiQLError.invalidIn
            }
            guard !elements.isEmpty else { throw PartiQLError.invalidIn }
            let c = PartiQLCondition.in(.path(p), elements)
            return negated ? .not(c) : c
        case .isType(let x, let type, let negated):
            guard let p = try path(x) else { throw PartiQLError.isOperand }
            if type == "MISSING" {
                return .function(negated ? "attribute_exists" : "attribute_not_exists", [.path(p)])
            }
            guard let name = Self.isTypes[type] else { throw PartiQLError.unsupportedIsType(type) }
            let c = PartiQLCondition.function("attribute_type", [.path(p), .value(.s(name))])
            return negated ? .not(c) : c
        case .call(let name, let args):
            let lower = name.lowercased()
            if Self.conditionFunctions.contains(lower) { return .function(lower, try args.map { try operand($0) }) }
            if lower == "size" { return nil }
            if lower == "exists" { throw PartiQLError.existsOutsideTransaction }
            throw PartiQLError.unrecognizedFunction(name)
        default:
            return nil
        }
    }

    /// One side of a comparison or a function argument: a path, a literal or `size(path)`.
    func operand(_ e: PartiQLExpr) throws -> PartiQLOperand {
        if let p = try path(e) { return .path(p) }
        if case .call(let name, let args) = e {
            let lower = name.lowercased()
            guard lower == "size" else {
                if Self.conditionFunctions.contains(lower) { throw PartiQLError.conditionOperator(lower) }
                throw PartiQLError.unrecognizedFunction(name)
            }
            guard args.count == 1 else {
                throw DynamoDBError.validation("Incorrect number of operands for operator or function; operator or function: size, number of operands: \(args.count)")
            }
            return .size(try operand(args[0]))
        }
        if let v = try value(e, under: "root") { return .value(v) }
        if let op = e.operatorText { throw PartiQLError.conditionOperator(op) }
        throw PartiQLError.unexpectedPathComponent
    }

    private static func checkOrdered(_ operands: [PartiQLOperand], op: String) throws {
        for case .value(let v) in operands where unordered.contains(v.typeName) {
            throw PartiQLError.incorrectOperandType(op, v.typeName)
        }
    }

    // MARK: - UPDATE actions

    func action(_ raw: PartiQLRawAction) throws -> PartiQLUpdateAction {
        switch raw {
        case .remove(let e):
            guard let p = try path(e) else { throw PartiQLError.expectedSimplePath }
            return .remove(p)
        case .set(let target, let valueExpr):
            guard let p = try path(target) else { throw PartiQLError.expectedSimplePath }
            if case .call(let name, let args) = valueExpr, ["set_add", "set_delete"].contains(name.lowercased()) {
                let op = name.lowercased() == "set_add" ? "ADD" : "DELETE"
                guard args.count == 2 else { throw PartiQLError.setFunctionArity(op) }
                guard try path(args[0]) == p else { throw PartiQLError.setFunctionTarget(op) }
                guard let v = try value(args[1], under: "root"), ["SS", "NS", "BS"].contains(v.typeName) else {
                    throw PartiQLError.setFunctionValue(op)
                }
                return op == "ADD" ? .add(p, v) : .delete(p, v)
            }
            return .set(p, try setValue(valueExpr))
        }
    }

    private func setValue(_ e: PartiQLExpr) throws -> PartiQLSetValue {
        switch e {
        case .binary("+", let l, let r): return .plus(try updateOperand(l), try updateOperand(r))
        case .binary("-", let l, let r): return .minus(try updateOperand(l), try updateOperand(r))
        case .call(let name, let args):
            switch name.lowercased() {
            case "list_append":
                guard args.count == 2 else { throw Self.operandCount("list_append", args.count) }
                return .listAppend(try updateOperand(args[0]), try updateOperand(args[1]))
            case "if_not_exists":
                guard args.count == 2 else { throw Self.operandCount("if_not_exists", args.count) }
                guard let p = try path(args[0]) else {
                    throw DynamoDBError.validation("Operator or function requires a document path; operator or function: if_not_exists")
                }
                return .ifNotExists(p, try updateOperand(args[1]))
            default:
                throw PartiQLError.unrecognizedFunction(name)
            }
        case .isType:
            throw PartiQLError.isInUpdate
        default:
            return .operand(try updateOperand(e))
        }
    }

    private func updateOperand(_ e: PartiQLExpr) throws -> PartiQLOperand {
        if let p = try path(e) { return .path(p) }
        if let v = try value(e, under: "root") { return .value(v) }
        switch e {
        case .isType: throw PartiQLError.isInUpdate
        case .call(let name, _): throw PartiQLError.unrecognizedFunction(name)
        default:
            if let op = e.operatorText { throw PartiQLError.updateOperator(op) }
            throw PartiQLError.unexpectedPathComponent
        }
    }

    private static func operandCount(_ function: String, _ count: Int) -> DynamoDBError {
        .validation("Incorrect number of operands for operator or function; operator or function: \(function), number of operands: \(count)")
    }
}
