import XCTest
@testable import DynamoDB

/// Key conditions: the rules that make a condition a Query's key, and what it resolves to.
final class ExpressionKeyConditionTests: ExpressionTestCase {
    var values: [String: AttributeValue] { [
        ":p": S("part"), ":a": N("1"), ":b": N("5"), ":s": S("pre"), ":n": N("1"), ":t": TRUE, ":empty": S(""), ":ts": S("S"),
    ] }
    var schema: KeySchema { KeySchema(hash: KeyAttribute(name: "pk", type: "S"), range: KeyAttribute(name: "sk", type: "N")) }
    var stringSorted: KeySchema { KeySchema(hash: KeyAttribute(name: "pk", type: "S"), range: KeyAttribute(name: "sk", type: "S")) }

    func resolve(_ text: String, _ schema: KeySchema? = nil, names: [String: String] = [:]) throws -> KeyCondition {
        let parsed = try KeyConditionExpression.parse(text, context: context(names: names, values: values))
        return try parsed.resolve(schema ?? self.schema)
    }

    func message(_ text: String, _ schema: KeySchema? = nil) -> String {
        validationMessage { _ = try resolve(text, schema) }
    }

    func testResolvesToPartitionValueAndSortCondition() throws {
        let cases: [(String, String)] = [
            ("pk = :p", "none"),
            ("pk = :p AND sk = :a", "= 1"),
            ("pk = :p AND sk < :a", "< 1"),
            ("pk = :p AND sk <= :a", "<= 1"),
            ("pk = :p AND sk > :a", "> 1"),
            ("pk = :p AND sk >= :a", ">= 1"),
            ("pk = :p AND :a < sk", "> 1"),
            ("pk = :p AND :a >= sk", "<= 1"),
            ("sk BETWEEN :a AND :b AND pk = :p", "between 1 5"),
            (":p = #k AND (sk > :a)", "> 1"),
        ]
        for (text, expected) in cases {
            let key = try resolve(text, names: ["#k": "pk"])
            XCTAssertEqual(key.partitionKey, "pk")
            XCTAssertEqual(key.partitionValue, S("part"))
            XCTAssertEqual(describe(key.sortCondition), expected, text)
        }
        let prefix = try resolve("pk = :p AND begins_with(sk, :s)", stringSorted)
        XCTAssertEqual(describe(prefix.sortCondition), "begins_with pre")
    }

    func describe(_ c: SortKeyCondition?) -> String {
        switch c {
        case nil: return "none"
        case .equal(let v)?: return "= \(text(v))"
        case .less(let v)?: return "< \(text(v))"
        case .lessOrEqual(let v)?: return "<= \(text(v))"
        case .greater(let v)?: return "> \(text(v))"
        case .greaterOrEqual(let v)?: return ">= \(text(v))"
        case .between(let a, let b)?: return "between \(text(a)) \(text(b))"
        case .beginsWith(let v)?: return "begins_with \(text(v))"
        }
    }

    func text(_ v: AttributeValue) -> String {
        switch v {
        case .s(let s): return s
        case .n(let n): return n.description
        default: return v.typeName
        }
    }

    func testStructuralRulesNeedNoSchema() {
        let cases: [(String, String)] = [
            ("a > :a and size(b) > :a or a > :b", "Invalid operator used in KeyConditionExpression: OR"),
            ("a in (:a, :b)", "Invalid operator used in KeyConditionExpression: IN"),
            ("attribute_exists(a)", "Invalid operator used in KeyConditionExpression: attribute_exists"),
            ("attribute_not_exists(a)", "Invalid operator used in KeyConditionExpression: attribute_not_exists"),
            ("attribute_type(a, :ts)", "Invalid operator used in KeyConditionExpression: attribute_type"),
            ("contains(a.d, b)", "Invalid operator used in KeyConditionExpression: contains"),
            ("not a > :a", "Invalid operator used in KeyConditionExpression: NOT"),
            ("a <> :a", "Invalid operator used in KeyConditionExpression: <>"),
            (":a between size(b) and size(a) and b > :b", "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand"),
            ("begins_with(:s, b) and a > :b", "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand"),
            ("size(b) > a AND a.b > b AND b > c", "KeyConditionExpressions cannot contain nested operations"),
            ("a > size(b.d)", "KeyConditionExpressions cannot contain nested operations"),
            ("a between size(b) and size(a)", "KeyConditionExpressions cannot contain nested operations"),
            ("b > a.b", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
            ("b between c[1] and d", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
            ("begins_with(a, b)", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
            ("b.d > a AND c.d > e.f", "KeyConditionExpressions cannot have conditions on nested attributes"),
            ("b[0] > a", "KeyConditionExpressions cannot have conditions on nested attributes"),
            (":b > :a AND a < :b", "Invalid condition in KeyConditionExpression: No key attribute specified"),
            ("b > :a AND b < :a and c = :a", "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key"),
        ]
        for (text, expected) in cases {
            let result = validationMessage {
                _ = try KeyConditionExpression.parse(text, context: context(values: values)).terms()
            }
            XCTAssertEqual(result, expected, text)
        }
    }

    func testSchemaRules() {
        let hashOnly = KeySchema(hash: KeyAttribute(name: "pk", type: "S"), range: nil)
        XCTAssertEqual(message("sk = :a"), "Query condition missed key schema element: pk")
        XCTAssertEqual(message("pk = :p AND extra = :a"), "Query condition missed key schema element: sk")
        XCTAssertEqual(message("pk = :p AND sk > :a AND extra = :b"), "The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)")
        XCTAssertEqual(message("pk = :p AND extra = :a", hashOnly), "The number of query conditions (2) exceeds the number of key attributes defined in the schema (1)")
        XCTAssertEqual(message("pk > :p"), "Query key condition not supported")
        XCTAssertEqual(message("begins_with(pk, :p)"), "Query key condition not supported")
        XCTAssertEqual(message("pk BETWEEN :p AND :p"), "Query key condition not supported")
        XCTAssertEqual(message("pk = :a"), "One or more parameter values were invalid: Condition parameter type does not match schema type")
        XCTAssertEqual(message("pk = :p AND sk = :s"), "One or more parameter values were invalid: Condition parameter type does not match schema type")
        XCTAssertEqual(message("pk = :p AND begins_with(sk, :s)"), "One or more parameter values were invalid: Condition parameter type does not match schema type")
        XCTAssertEqual(message("pk = :p AND sk = :t"), "One or more parameter values were invalid: Condition parameter type does not match schema type")
        XCTAssertEqual(message("pk = :empty"), "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk")
        XCTAssertEqual(message("pk = :p", hashOnly), "<no error>")
    }

    func testOperandTypesAreCheckedAsInAnyCondition() {
        XCTAssertEqual(message("pk = :p AND begins_with(sk, :n)"),
                       "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")
        XCTAssertEqual(message("pk = :p AND sk < :t"),
                       "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL")
        XCTAssertEqual(message("pk = :p AND :t >= sk"),
                       "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: >=, operand type: BOOL")
        XCTAssertEqual(message("pk = :p AND sk BETWEEN :t AND :t"),
                       "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL")
        XCTAssertEqual(message("pk = :missing AND begins_with(sk, :n)"),
                       "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing")
        XCTAssertEqual(message("begins_with(sk, :n) AND pk = :missing"),
                       "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")
        XCTAssertEqual(message("pk = :p AND sk BETWEEN :b AND :a"),
                       "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}")
    }

    func testMatchesChecksAnItemsKey() throws {
        let items: [Item] = [
            item(["pk": S("part"), "sk": N("0")]), item(["pk": S("part"), "sk": N("1")]), item(["pk": S("part"), "sk": N("3")]),
            item(["pk": S("part"), "sk": N("5")]), item(["pk": S("part"), "sk": N("6")]), item(["pk": S("other"), "sk": N("3")]),
            item(["pk": S("part")]),
        ]
        func matching(_ expression: String) throws -> [String] {
            let key = try resolve(expression)
            return items.filter(key.matches).map { i in i.first { $0.key == "sk" }.map { self.text($0.value) } ?? "-" }
        }
        XCTAssertEqual(try matching("pk = :p"), ["0", "1", "3", "5", "6", "-"])
        XCTAssertEqual(try matching("pk = :p AND sk BETWEEN :a AND :b"), ["1", "3", "5"])
        XCTAssertEqual(try matching("pk = :p AND sk > :a"), ["3", "5", "6"])
        XCTAssertEqual(try matching("pk = :p AND sk <= :a"), ["0", "1"])
        XCTAssertEqual(try matching("pk = :p AND sk = :b"), ["5"])

        let strings = try KeyConditionExpression.parse("pk = :p AND begins_with(sk, :s)", context: context(values: values)).resolve(stringSorted)
        XCTAssertTrue(strings.matches(item(["pk": S("part"), "sk": S("prefix")])))
        XCTAssertFalse(strings.matches(item(["pk": S("part"), "sk": S("pr")])))
        XCTAssertFalse(strings.matches(item(["pk": S("part"), "sk": N("1")])))
    }

    func testConvenienceParseResolvesByNames() throws {
        let key = try KeyConditionExpression.parse("#p = :p AND sk >= :a", context: context(names: ["#p": "pk"], values: values),
                                                   hashKey: "pk", rangeKey: "sk")
        XCTAssertEqual(key.sortKey, "sk")
        XCTAssertEqual(describe(key.sortCondition), ">= 1")
    }
}
