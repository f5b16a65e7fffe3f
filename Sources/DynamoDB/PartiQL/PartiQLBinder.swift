/// Applies DynamoDB's rules to a parsed statement: binds the parameters, turns literals
/// into AttributeValues, names into document paths and the WHERE clause into a condition,
/// refusing what DynamoDB's PartiQL does not support, in its words.
struct PartiQLBinder {
    let parameters: [AttributeValue]

    func bind(_ raw: PartiQLRawStatement) throws -> PartiQLStatement {
        switch raw {
        case .select(let s): return .select(try select(s))
        case .insert(let i): return .insert(try insert(i))
        case .update(let u): return .update(try update(u))
        case .delete(let d): return .delete(try delete(d))
        }
    }

    // MARK: - Statements

    private func select(_ s: PartiQLRawStatement.Select) throws -> SelectPlan {
        if s.starWithOthers { throw PartiQLError.starAndOthers }
        if s.sources.count > 1 { throw PartiQLError.multipleSources }
        if s.aliased { throw PartiQLError.aliasing }
        let (table, index) = try source(s.sources[0])
        var projection: [DocumentPath]?
        if let list = s.projection {
            var paths: [DocumentPath] = []
            var names = Set<String>()
            for e in list {
                guard let p = try path(e) else { throw PartiQLError.unexpectedPathComponent }
                if let name = SelectPlan.resultName(p), !names.insert(name).inserted {
                    throw PartiQLError.duplicateProjection(name)
                }
                paths.append(p)
            }
            projection = paths
        }
        let condition = try s.condition.map { try whereCondition($0) }
        var orderBy: [PartiQLOrdering] = []
        for (key, descending) in s.orderBy {
            guard case .name(let name, _) = key else { throw PartiQLError.orderByNotReference(Self.kind(key)) }
            orderBy.append(PartiQLOrdering(attribute: name, descending: descending))
        }
        if !orderBy.isEmpty && condition == nil { throw PartiQLError.orderByWithoutWhere }
        return SelectPlan(tableName: table, indexName: index, projection: projection, condition: condition, orderBy: orderBy)
    }

    private func insert(_ i: PartiQLRawStatement.Insert) throws -> InsertPlan {
        guard let valueExpr = i.value else { throw PartiQLError.insertMultiple }
        if i.position { throw PartiQLError.insertAt }
        if i.returning { throw PartiQLError.insertReturning }
        let table = try dmlTarget(i.target)
        switch valueExpr {
        case .tuple, .parameter:
            guard case .m(let item)? = try value(valueExpr, under: "root") else { throw PartiQLError.insertNotTuple }
            return InsertPlan(tableName: table, item: item)
        default:
            throw PartiQLError.insertNotTuple
        }
    }

    private func update(_ u: PartiQLRawStatement.Update) throws -> UpdatePlan {
        if u.aliased { throw PartiQLError.aliasing }
        let table = try dmlTarget(u.target)
        var actions: [PartiQLUpdateAction] = []
        for raw in u.actions { actions.append(try action(raw)) }
        guard let whereExpr = u.condition else { throw PartiQLError.incompleteKey }
        let condition = try whereCondition(whereExpr)
        return UpdatePlan(tableName: table, actions: actions, condition: condition, returnValues: u.returning.map(Self.returnValues))
    }

    private func delete(_ d: PartiQLRawStatement.Delete) throws -> DeletePlan {
        if d.aliased { throw PartiQLError.aliasing }
        let table = try dmlTarget(d.target)
        if let r = d.returning, !(r.all && !r.new) { throw PartiQLError.invalidDeleteReturning(r.text) }
        guard let whereExpr = d.condition else { throw PartiQLError.incompleteKey }
        let condition = try whereCondition(whereExpr)
        return DeletePlan(tableName: table, condition: condition, returnValues: d.returning.map(Self.returnValues))
    }

    static func returnValues(_ r: PartiQLReturningClause) -> String {
        switch (r.all, r.new) {
        case (true, false): return "ALL_OLD"
        case (true, true): return "ALL_NEW"
        case (false, false): return "UPDATED_OLD"
        case (false, true): return "UPDATED_NEW"
        }
    }

    // MARK: - Sources

    /// `"Table"` or `"Table"."Index"`.
    private func source(_ e: PartiQLExpr) throws -> (String, String?) {
        let table: String
        var index: String?
        switch e {
        case .name(let n, _):
            table = n
        case .path(.name(let n, _), let steps):
            guard steps.count == 1 else { throw PartiQLError.tooManyFromComponents }
            guard case .dot(let i, _) = steps[0] else { throw PartiQLError.invalidSourceDot }
            table = n
            index = i
        default:
            throw PartiQLError.unexpectedFromSource
        }
        if table.isEmpty || index?.isEmpty == true { throw PartiQLError.emptyPathComponent }
        try Self.checkTableName(table)
        return (table, index)
    }

    private func dmlTarget(_ e: PartiQLExpr) throws -> String {
        let (table, index) = try source(e)
        if index != nil { throw PartiQLError.operationOnIndex }
        return table
    }

    /// A table is named by 3–255 of `[a-zA-Z0-9_.-]`, or by its ARN.
    static func checkTableName(_ name: String) throws {
        if name.hasPrefix("arn:") { return }
        let valid = name.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 46 || c == 45
        }
        guard valid, (3...255).contains(name.utf8.count) else { throw PartiQLError.invalidTableName }
    }

    // MARK: - Paths

    /// The document path `e` names, or nil when it is not a path.
    func path(_ e: PartiQLExpr) throws -> DocumentPath? {
        switch e {
        case .name(let n, _):
            if n.isEmpty { throw PartiQLError.emptyPathComponent }
            return DocumentPath([.name(n)])
        case .path(.name(let n, _), let steps):
            if n.isEmpty { throw PartiQLError.emptyPathComponent }
            var elements: [PathElement] = [.name(n)]
            for step in steps { elements.append(try element(step)) }
            return DocumentPath(elements)
        default:
            return nil
        }
    }

    private func element(_ step: PartiQLPathStep) throws -> PathElement {
        switch step {
        case .dot(let n, _):
            if n.isEmpty { throw PartiQLError.emptyPathComponent }
            return .name(n)
        case .wildcard: throw PartiQLError.wildcardPath
        case .unpivot: throw PartiQLError.unpivotPath
        case .index(let e):
            switch e {
            case .number(let text):
                guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let i = Int(text) else { throw PartiQLError.listIndex(text) }
                return .index(i)
            case .string(let s):
                if s.isEmpty { throw PartiQLError.emptyPathComponent }
                return .name(s)
            case .parameter(let i):
                switch parameters[i] {
                case .s(let s) where !s.isEmpty: return .name(s)
                case .n(let n):
                    guard !n.negative, n.exponent >= 0, let i = Int(n.description) else { throw PartiQLError.listIndex(n.description) }
                    return .index(i)
                default: throw PartiQLError.unexpectedPathComponent
                }
            default:
                throw PartiQLError.unexpectedPathComponent
            }
        }
    }

    // MARK: - Values

    /// The value a literal (or a parameter) stands for; nil when `e` is not a literal.
    /// `path` is where the value sits, for number errors: `root`, `root.a`, `root[1]`.
    func value(_ e: PartiQLExpr, under path: String) throws -> AttributeValue? {
        switch e {
        case .string(let s): return .s(s)
        case .number(let text):
            do {
                return .n(try DynamoNumber(parsing: text))
            } catch {
                throw PartiQLError.number(error, text: text, under: path)
            }
        case .boolean(let b): return .bool(b)
        case .null: return .null
        case .missing: throw PartiQLError.missingLiteral
        case .parameter(let i): return parameters[i]
        case .list(let elements):
            return .l(try elements.enumerated().map { try literal($1, under: "\(path)[\($0)]") })
        case .bag(let elements):
            return try set(try elements.enumerated().map { try literal($1, under: "\(path)[\($0)]") })
        case .tuple(let fields):
            return .m(try members(fields, under: path))
        default:
            return nil
        }
    }

    /// A value inside a literal: it must be a literal too.
    private func literal(_ e: PartiQLExpr, under path: String) throws -> AttributeValue {
        guard let v = try value(e, under: path) else { throw PartiQLError.unsupportedToken(Self.describe(e)) }
        return v
    }

    private func members(_ fields: [PartiQLTupleField], under path: String) throws -> Item {
        var item: Item = []
        for field in fields {
            let key: String
            switch field.key {
            case .string(let s): key = s
            case .parameter(let i):
                guard case .s(let s) = parameters[i] else { throw PartiQLError.tupleKeyType(parameters[i].typeName, under: path) }
                key = s
            default:
                guard let v = try value(field.key, under: path) else { throw PartiQLError.unsupportedToken(Self.describe(field.key)) }
                throw PartiQLError.tupleKeyType(v.typeName, under: path)
            }
            if item.contains(where: { $0.key == key }) { throw PartiQLError.duplicateTupleKey(key, under: path) }
            // A MISSING member is no member at all.
            if case .missing = field.value { continue }
            item.append((key, try literal(field.value, under: "\(path).\(key)")))
        }
        return item
    }

    /// A bag is a set: of strings, of numbers or of binaries (from parameters).
    private func set(_ elements: [AttributeValue]) throws -> AttributeValue {
        guard let first = elements.first else { throw PartiQLError.emptyBag }
        switch first {
        case .s:
            var out: [String] = []
            for e in elements {
                guard case .s(let s) = e else { throw PartiQLError.mixedBag }
                if !out.contains(where: { $0.utf8.elementsEqual(s.utf8) }) { out.append(s) }
            }
            return .ss(out)
        case .n:
            var out: [DynamoNumber] = []
            for e in elements {
                guard case .n(let n) = e else { throw PartiQLError.mixedBag }
                if !out.contains(n) { out.append(n) }
            }
            return .ns(out)
        case .b:
            var out: [[UInt8]] = []
            for e in elements {
                guard case .b(let b) = e else { throw PartiQLError.mixedBag }
                if !out.contains(b) { out.append(b) }
            }
            return .bs(out)
        default:
            throw PartiQLError.mixedBag
        }
    }

    // MARK: - Descriptions

    /// How an expression is named in a message.
    static func describe(_ e: PartiQLExpr) -> String {
        switch e {
        case .name(let n, _): return n
        case .path(let root, _): return describe(root)
        case .call(let name, _): return name
        default: return e.operatorText ?? "expression"
        }
    }

    /// The PartiQL AST node kind, for ORDER BY's message.
    static func kind(_ e: PartiQLExpr) -> String {
        switch e {
        case .path: return "Path"
        case .call: return "NAry"
        case .string, .number, .boolean, .null, .parameter, .list, .bag, .tuple: return "Literal"
        case .missing: return "LiteralMissing"
        default: return "NAry"
        }
    }
}
