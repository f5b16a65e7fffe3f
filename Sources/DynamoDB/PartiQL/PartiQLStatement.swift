// PartiQL for DynamoDB: `PartiQLStatement.parse` reads a SELECT, INSERT, UPDATE or DELETE
// with its parameters bound; `request(key:)` (PartiQLTranslator.swift) turns it into the
// JSON request of the operation that runs it — Query, Scan, PutItem, UpdateItem or
// DeleteItem — so the service serves PartiQL through the same code as its own API.
//
//     let statement = try PartiQLStatement.parse(text, parameters: parameters)
//     let key = /* the key schema of statement.tableName (or of statement.indexName) */
//     let request = try statement.request(key: key)
//     // run request.operation with request.input; for .insert, a failed condition is
//     // PartiQLStatement.duplicateItemError; for SELECT, SelectPlan.shape each item.

import JSON

/// One parsed PartiQL statement, parameters bound.
public enum PartiQLStatement: Sendable, Equatable {
    case select(SelectPlan)
    case insert(InsertPlan)
    case update(UpdatePlan)
    case delete(DeletePlan)

    /// Parses `statement`, binding each `?` in order to `parameters`. Syntax errors come
    /// first, then a parameter count that does not match, then DynamoDB's rules.
    public static func parse(_ statement: String, parameters: [AttributeValue]) throws -> PartiQLStatement {
        let (tokens, count) = try PartiQLLexer.tokens(statement)
        var parser = PartiQLParser(tokens: tokens)
        let raw = try parser.parseStatement()
        guard count == parameters.count else { throw PartiQLError.parameterCount }
        return try PartiQLBinder(parameters: parameters).bind(raw)
    }

    /// The table the statement reads or writes.
    public var tableName: String {
        switch self {
        case .select(let p): return p.tableName
        case .insert(let p): return p.tableName
        case .update(let p): return p.tableName
        case .delete(let p): return p.tableName
        }
    }

    /// The index a SELECT reads (`FROM "Table"."Index"`).
    public var indexName: String? {
        if case .select(let p) = self { return p.indexName }
        return nil
    }

    /// What the service raises when the PutItem of an INSERT fails its condition.
    public static var duplicateItemError: DynamoDBError { PartiQLError.duplicateItem }
}

/// A SELECT: the source, the projection (nil for `*`), the WHERE condition and ORDER BY.
public struct SelectPlan: Sendable, Equatable {
    public var tableName: String
    public var indexName: String?
    public var projection: [DocumentPath]?
    public var condition: PartiQLCondition?
    public var orderBy: [PartiQLOrdering]
}

/// `ORDER BY name [DESC]`.
public struct PartiQLOrdering: Sendable, Equatable {
    public var attribute: String
    public var descending: Bool
}

/// An INSERT: the item `VALUE` gave.
public struct InsertPlan: Sendable, Equatable {
    public var tableName: String
    public var item: Item

    public static func == (a: InsertPlan, b: InsertPlan) -> Bool {
        a.tableName == b.tableName && AttributeValue.m(a.item) == AttributeValue.m(b.item)
            && a.item.map(\.key) == b.item.map(\.key)
    }
}

/// An UPDATE: its actions in order, the WHERE condition (the key equalities and any more
/// conditions) and what RETURNING asked for.
public struct UpdatePlan: Sendable, Equatable {
    public var tableName: String
    public var actions: [PartiQLUpdateAction]
    public var condition: PartiQLCondition
    public var returnValues: String?
}

/// A DELETE: the WHERE condition and what RETURNING asked for (only `ALL_OLD`).
public struct DeletePlan: Sendable, Equatable {
    public var tableName: String
    public var condition: PartiQLCondition
    public var returnValues: String?
}

/// A WHERE condition, in the shape of DynamoDB's condition expressions.
public indirect enum PartiQLCondition: Sendable, Equatable {
    case compare(PartiQLOperand, PartiQLComparator, PartiQLOperand)
    case between(PartiQLOperand, PartiQLOperand, PartiQLOperand)
    case `in`(PartiQLOperand, [PartiQLOperand])
    /// `begins_with`, `contains`, `attribute_type`, `attribute_exists` (IS NOT MISSING),
    /// `attribute_not_exists` (IS MISSING); the arguments as written.
    case function(String, [PartiQLOperand])
    case and(PartiQLCondition, PartiQLCondition)
    case or(PartiQLCondition, PartiQLCondition)
    case not(PartiQLCondition)
}

/// `=`, `<>` (also written `!=`), `<`, `<=`, `>`, `>=`.
public enum PartiQLComparator: String, Sendable, Equatable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// A path, a value (literal or parameter), or `size(…)`.
public indirect enum PartiQLOperand: Sendable, Equatable {
    case path(DocumentPath)
    case value(AttributeValue)
    case size(PartiQLOperand)
}

/// One action of an UPDATE, in the shape of an UpdateExpression's.
public enum PartiQLUpdateAction: Sendable, Equatable {
    case set(DocumentPath, PartiQLSetValue)
    case remove(DocumentPath)
    /// `SET s = set_add(s, <<…>>)`
    case add(DocumentPath, AttributeValue)
    /// `SET s = set_delete(s, <<…>>)`
    case delete(DocumentPath, AttributeValue)
}

/// The right side of a SET.
public indirect enum PartiQLSetValue: Sendable, Equatable {
    case operand(PartiQLOperand)
    case plus(PartiQLOperand, PartiQLOperand)
    case minus(PartiQLOperand, PartiQLOperand)
    case listAppend(PartiQLOperand, PartiQLOperand)
    case ifNotExists(DocumentPath, PartiQLOperand)
}
