import XCTest
@testable import DynamoDB

/// Builders for values and items, and assertions, shared by the expression tests.
/// Members of a base class rather than free functions, so they cannot clash with
/// other test files of the target.
class ExpressionTestCase: XCTestCase {
    func S(_ s: String) -> AttributeValue { .s(s) }
    func N(_ text: String) -> AttributeValue { .n(try! DynamoNumber(parsing: text)) }
    func B(_ bytes: [UInt8]) -> AttributeValue { .b(bytes) }
    func L(_ elements: AttributeValue...) -> AttributeValue { .l(elements) }
    func M(_ members: KeyValuePairs<String, AttributeValue>) -> AttributeValue { .m(members.map { (key: $0.key, value: $0.value) }) }
    func SS(_ members: String...) -> AttributeValue { .ss(members) }
    func NS(_ members: String...) -> AttributeValue { .ns(members.map { try! DynamoNumber(parsing: $0) }) }
    func BS(_ members: [UInt8]...) -> AttributeValue { .bs(members) }
    var TRUE: AttributeValue { .bool(true) }
    var NULL: AttributeValue { .null }

    func item(_ members: KeyValuePairs<String, AttributeValue>) -> Item { members.map { (key: $0.key, value: $0.value) } }

    /// The message of the DynamoDBError `body` throws, or a failure naming what happened.
    func validationMessage(_ body: () throws -> Void) -> String { Self.validationMessage(body) }

    static func validationMessage(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "<no error>"
        } catch let e as DynamoDBError {
            return e.code == "ValidationException" ? e.message : "\(e.code): \(e.message)"
        } catch {
            return "<\(error)>"
        }
    }

    /// Items equal member by member, in order.
    func assertItem(_ actual: Item, _ expected: Item, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.map(\.key), expected.map(\.key), "attribute order", file: file, line: line)
        XCTAssertEqual(AttributeValue.m(actual), AttributeValue.m(expected), file: file, line: line)
    }

    func context(names: [String: String] = [:], values: [String: AttributeValue] = [:]) -> ExpressionContext {
        ExpressionContext(names: names, values: values)
    }
}

final class ExpressionSupportTests: ExpressionTestCase {
    func testUnusedNamesAreReportedBeforeUnusedValues() {
        let ctx = context(names: ["#a": "a", "#x": "x"], values: [":v": N("1"), ":w": N("2")])
        XCTAssertNoThrow(try ConditionExpression.parse("#a = :v", context: ctx))
        XCTAssertEqual(validationMessage { try ctx.ensureAllUsed() },
                       "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}")
        let ctx2 = context(values: [":v": N("1"), ":w": N("2")])
        XCTAssertNoThrow(try ConditionExpression.parse("a = :v", context: ctx2))
        XCTAssertEqual(validationMessage { try ctx2.ensureAllUsed() },
                       "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}")
    }

    func testUnusedKeysAreListedInJavaHashSetOrder() {
        // ":z" hashes to bucket 0 and ":a" to bucket 7 of a 16-bucket HashSet.
        let ctx = context(values: [":a": N("1"), ":z": N("2")])
        XCTAssertEqual(validationMessage { try ctx.ensureAllUsed() },
                       "Value provided in ExpressionAttributeValues unused in expressions: keys: {:z, :a}")
    }

    func testPlaceholdersUsedByAnyExpressionOfTheRequestCount() throws {
        let ctx = context(names: ["#n": "name", "#s": "status"], values: [":v": S("x"), ":w": S("y")])
        _ = try UpdateExpression.parse("SET #n = :v", context: ctx)
        _ = try ConditionExpression.parse("#s <> :w", context: ctx)
        XCTAssertNoThrow(try ctx.ensureAllUsed())
    }

    func testValidatingContextChecksTheMapsThemselves() {
        let cases: [([String: String]?, [String: AttributeValue]?, String)] = [
            ([:], nil, "ExpressionAttributeNames must not be empty"),
            (nil, [:], "ExpressionAttributeValues must not be empty"),
            (["a": "a"], nil, "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""),
            (["#": "a"], nil, "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#\""),
            (["#a-b": "a"], nil, "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\""),
            (["#a": ""], nil, "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"),
            (nil, ["v": S("x")], "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\""),
            (["#ok_1": "a"], [":ok_2": S("x")], "<no error>"),
        ]
        for (names, values, expected) in cases {
            XCTAssertEqual(validationMessage { _ = try ExpressionContext(validatingNames: names, values: values) }, expected)
        }
    }

    func testDocumentPathText() {
        let p = DocumentPath([.name("a"), .name("b"), .index(2), .name("c")])
        XCTAssertEqual(p.description, "a.b[2].c")
        XCTAssertEqual(p.messageText, "[a, b, [2], c]")
        XCTAssertEqual(p.attribute, "a")
    }

    func testReservedWordList() {
        XCTAssertEqual(ReservedWords.all.count, 573)
        XCTAssertTrue(ReservedWords.isReserved("name"))
        XCTAssertTrue(ReservedWords.isReserved("Status"))
        XCTAssertFalse(ReservedWords.isReserved("price"))
    }
}
