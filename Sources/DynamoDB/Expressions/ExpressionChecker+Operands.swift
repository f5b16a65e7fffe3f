/// The second pass: placeholders, operand types and operand rules, in writing order,
/// building the typed tree.
extension ExpressionChecker {
    /// The type an operand is known to have before any item is read: a value's type,
    /// N for size(); nil for anything that depends on the item.
    static func staticType(_ operand: ExpressionOperand) -> String? {
        switch operand {
        case .value(let v): return v.typeName
        case .size: return "N"
        default: return nil
        }
    }

    func operandTypeError(_ op: String, _ type: String) -> DynamoDBError {
        error("Incorrect operand type for operator or function; operator or function: \(op), operand type: \(type)")
    }

    func requireTypes(_ op: String, _ operands: [ExpressionOperand], allowed: Set<String>) throws {
        for o in operands {
            if let t = Self.staticType(o), !allowed.contains(t) { throw operandTypeError(op, t) }
        }
    }

    /// DynamoDB refuses an operator whose first operand, a path, appears again.
    func requireDistinct(_ op: String, _ first: ExpressionOperand, _ rest: [ExpressionOperand]) throws {
        guard case .path(let p) = first else { return }
        for r in rest {
            if case .path(let q) = r, q == p {
                throw error("The first operand must be distinct from the remaining operands for this operator or function; operator: \(op), first operand: \(p.messageText)")
            }
        }
    }

    // MARK: - Operands

    func operand(_ raw: RawOperand) throws -> ExpressionOperand {
        switch raw {
        case .path(let p): return .path(try path(p))
        case .value(let t): return .value(try value(t))
        case .paren(let o): return try operand(o)
        case .arithmetic(let a, let op, let b): return try arithmetic(a, op, b)
        case .call(let call): return try function(call)
        }
    }

    func arithmetic(_ a: RawOperand, _ op: ExpressionToken, _ b: RawOperand) throws -> ExpressionOperand {
        let left = try operand(a), right = try operand(b)
        try requireTypes(op.text, [left, right], allowed: ["N"])
        return op.kind == .plus ? .plus(left, right) : .minus(left, right)
    }

    /// size, if_not_exists or list_append as an operand. Nested calls recurse through
    /// here, `arguments(of:)` and `operand`, which keep their frames small.
    func function(_ call: RawCall) throws -> ExpressionOperand {
        let args = try arguments(of: call)
        return try functionOperand(call, args)
    }

    func functionOperand(_ call: RawCall, _ args: [ExpressionOperand]) throws -> ExpressionOperand {
        switch call.name.text {
        case "size": return .size(args[0])
        case "if_not_exists":
            guard case .path(let p) = args[0] else { throw pathRequired("if_not_exists") }
            return .ifNotExists(p, args[1])
        case "list_append": return .listAppend(args[0], args[1])
        default:
            // Condition functions never reach here: the first pass refused them.
            throw error("The function is not allowed to be used this way in an expression; function: \(call.name.text)")
        }
    }

    func pathRequired(_ function: String) -> DynamoDBError {
        error("Operator or function requires a document path; operator or function: \(function)")
    }

    /// A function's operands, checked: count (updates), paths where a path is needed,
    /// distinct operands, and the types each function accepts.
    func arguments(of call: RawCall) throws -> [ExpressionOperand] {
        if inUpdate { try checkUpdateArity(call) }
        var args: [ExpressionOperand] = []
        for raw in call.args { args.append(try operand(raw)) }
        try checkArguments(call, args)
        return args
    }

    func checkUpdateArity(_ call: RawCall) throws {
        if let arity = Self.arity(of: call.name.text) { try checkArity(call, arity) }
    }

    func checkArguments(_ call: RawCall, _ args: [ExpressionOperand]) throws {
        let name = call.name.text
        switch name {
        case "attribute_exists", "attribute_not_exists", "attribute_type", "if_not_exists":
            if case .path = args[0] {} else { throw pathRequired(name) }
        default: break
        }
        if name != "size" && name != "list_append" {
            try requireDistinct(name, args[0], Array(args.dropFirst()))
        }
        switch name {
        case "size":
            try requireTypes(name, args, allowed: ["S", "B", "SS", "NS", "BS", "L", "M"])
        case "begins_with":
            try requireTypes(name, args, allowed: ["S", "B"])
        case "list_append":
            try requireTypes(name, args, allowed: ["L"])
        case "attribute_type":
            switch args[1] {
            case .value(let v):
                guard case .s(let typeName) = v else { throw operandTypeError(name, v.typeName) }
                if !Self.typeNames.contains(typeName) {
                    throw error("Invalid attribute type name found; type: \(typeName), valid types: \(Self.typeNameList)")
                }
            case .size: throw operandTypeError(name, "N")
            default: throw operandTypeError(name, Self.anyTypeList)
            }
        default: break
        }
    }

    // MARK: - Conditions

    /// The recursive part is kept small: deep NOT and parenthesis chains recurse here,
    /// and a small frame keeps them inside small thread stacks (debug builds included).
    func condition(_ raw: RawCondition) throws -> ExpressionCondition {
        switch raw {
        case .or(let a, let b): return .or(try condition(a), try condition(b))
        case .and(let a, let b): return .and(try condition(a), try condition(b))
        case .not(let c): return .not(try condition(c))
        case .paren(let c): return try condition(c)
        default: return try comparison(raw)
        }
    }

    /// A condition that is not AND, OR, NOT or parentheses.
    func comparison(_ raw: RawCondition) throws -> ExpressionCondition {
        switch raw {
        case .or, .and, .not, .paren:
            return try condition(raw)
        case .compare(let a, let op, let b):
            let comparator = Comparator(op.kind)!
            let left = try operand(a), right = try operand(b)
            try requireDistinct(op.text, left, [right])
            if comparator != .equal && comparator != .notEqual {
                try requireTypes(op.text, [left, right], allowed: ["S", "N", "B"])
            }
            return .compare(left, comparator, right)
        case .between(let a, let lo, let hi):
            let x = try operand(a), low = try operand(lo), high = try operand(hi)
            try requireDistinct("BETWEEN", x, [low, high])
            try requireTypes("BETWEEN", [x, low, high], allowed: ["S", "N", "B"])
            if case .value(let l) = low, case .value(let h) = high {
                if l.typeName != h.typeName {
                    throw error("The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: \(Self.boundText(l)), upper bound operand: \(Self.boundText(h))")
                }
                if let order = l.expressionOrder(h), order > 0 {
                    throw error("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: \(Self.boundText(l)), upper bound operand: \(Self.boundText(h))")
                }
            }
            return .between(x, low, high)
        case .in(let a, let list):
            let x = try operand(a)
            let options = try list.map { try operand($0) }
            if options.count > ExpressionLimits.maxInOperands {
                throw error("The IN operator is provided with too many operands; number of operands: \(options.count)")
            }
            try requireDistinct("IN", x, options)
            return .in(x, options)
        case .call(let call):
            let args = try arguments(of: call)
            switch call.name.text {
            case "attribute_exists":
                guard case .path(let p) = args[0] else { throw pathRequired("attribute_exists") }
                return .attributeExists(p)
            case "attribute_not_exists":
                guard case .path(let p) = args[0] else { throw pathRequired("attribute_not_exists") }
                return .attributeNotExists(p)
            case "attribute_type":
                guard case .path(let p) = args[0], case .value(.s(let t)) = args[1] else { throw pathRequired("attribute_type") }
                return .attributeType(p, t)
            case "begins_with": return .beginsWith(args[0], args[1])
            case "contains": return .contains(args[0], args[1])
            default:
                throw error("The function is not allowed to be used this way in an expression; function: \(call.name.text)")
            }
        }
    }

    /// How a BETWEEN bound appears in DynamoDB's messages.
    static func boundText(_ v: AttributeValue) -> String {
        switch v {
        case .s(let s): return "AttributeValue: {S:\(s)}"
        case .n(let n): return "AttributeValue: {N:\(n)}"
        case .b(let b): return "AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=\(b.count) cap=\(b.count)]}"
        default: return "AttributeValue: {\(v.typeName)}"
        }
    }
}
