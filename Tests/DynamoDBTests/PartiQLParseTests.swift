import XCTest
@testable import DynamoDB

/// What statements parse to: plans with parameters bound and literals typed.
final class PartiQLParseTests: XCTestCase {
    private func path(_ elements: PathElement...) -> DocumentPath { DocumentPath(elements) }
    private func name(_ n: String) -> PartiQLOperand { .path(DocumentPath([.name(n)])) }
    private func number(_ text: String) -> AttributeValue { .n(try! DynamoNumber(parsing: text)) }

    func testSelectPlans() throws {
        let cases: [(String, [AttributeValue], SelectPlan)] = [
            (#"SELECT * FROM "Music""#, [],
             SelectPlan(tableName: "Music", indexName: nil, projection: nil, condition: nil, orderBy: [])),
            (#"select a.b, "c"[0], d['e'] from "Music"."ByYear" where x = ? order by pk desc, sk"#, [.s("v")],
             SelectPlan(tableName: "Music", indexName: "ByYear",
                        projection: [path(.name("a"), .name("b")), path(.name("c"), .index(0)), path(.name("d"), .name("e"))],
                        condition: .compare(name("x"), .equal, .value(.s("v"))),
                        orderBy: [PartiQLOrdering(attribute: "pk", descending: true), PartiQLOrdering(attribute: "sk", descending: false)])),
            // Comments, a closing semicolon and keywords in any case.
            ("SeLeCt * FrOm Music -- the table\n WHERE /* first */ pk = 'a';", [],
             SelectPlan(tableName: "Music", indexName: nil, projection: nil,
                        condition: .compare(name("pk"), .equal, .value(.s("a"))), orderBy: [])),
            // AND binds tighter than OR; NOT tighter than AND; predicates tighter than NOT.
            (#"SELECT * FROM Music WHERE NOT a = 1 AND b = 2 OR c = 3"#, [],
             SelectPlan(tableName: "Music", indexName: nil, projection: nil, condition:
                .or(.and(.not(.compare(name("a"), .equal, .value(number("1")))), .compare(name("b"), .equal, .value(number("2")))),
                    .compare(name("c"), .equal, .value(number("3")))), orderBy: [])),
            (#"SELECT * FROM Music WHERE a BETWEEN -1 AND +.5 AND b IN (1, x) AND c IS NOT NULL"#, [],
             SelectPlan(tableName: "Music", indexName: nil, projection: nil, condition:
                .and(.and(.between(name("a"), .value(number("-1")), .value(number("0.5"))),
                          .in(name("b"), [.value(number("1")), name("x")])),
                     .not(.function("attribute_type", [name("c"), .value(.s("NULL"))]))), orderBy: [])),
        ]
        for (statement, parameters, plan) in cases {
            XCTAssertEqual(try PartiQLStatement.parse(statement, parameters: parameters), .select(plan), statement)
        }
    }

    func testWritePlans() throws {
        let cases: [(String, [AttributeValue], PartiQLStatement)] = [
            (#"INSERT INTO "Music" VALUE {'pk': 'it''s', 'n': 1.50e1, 'l': [], 'm': {}, 'ns': <<1, 1.0, 2>>}"#, [],
             .insert(InsertPlan(tableName: "Music", item: [("pk", .s("it's")), ("n", number("15")), ("l", .l([])), ("m", .m([])),
                                                           ("ns", .ns([try DynamoNumber(parsing: "1"), try DynamoNumber(parsing: "2")]))]))),
            (#"UPDATE "Music" SET a = ?, "b""q" = NULL REMOVE c[1] WHERE pk = ? RETURNING ALL OLD *"#, [.bool(true), .s("k")],
             .update(UpdatePlan(tableName: "Music",
                                actions: [.set(path(.name("a")), .operand(.value(.bool(true)))),
                                          .set(path(.name("b\"q")), .operand(.value(.null))),
                                          .remove(path(.name("c"), .index(1)))],
                                condition: .compare(name("pk"), .equal, .value(.s("k"))), returnValues: "ALL_OLD"))),
            (#"DELETE FROM Music WHERE pk = 'k' AND size(tags) > 2"#, [],
             .delete(DeletePlan(tableName: "Music",
                                condition: .and(.compare(name("pk"), .equal, .value(.s("k"))),
                                                .compare(.size(name("tags")), .greater, .value(number("2")))),
                                returnValues: nil))),
        ]
        for (statement, parameters, expected) in cases {
            XCTAssertEqual(try PartiQLStatement.parse(statement, parameters: parameters), expected, statement)
        }
    }

    func testTableAndIndexNames() throws {
        let select = try PartiQLStatement.parse(#"SELECT * FROM "my-table.v2"."by-date" WHERE pk = 1"#, parameters: [])
        XCTAssertEqual(select.tableName, "my-table.v2")
        XCTAssertEqual(select.indexName, "by-date")
        let update = try PartiQLStatement.parse(#"UPDATE Music SET a = 1 WHERE pk = 1"#, parameters: [])
        XCTAssertEqual(update.tableName, "Music")
        XCTAssertNil(update.indexName)
    }

    func testShapeNamesEachProjectedValueByItsLastName() throws {
        guard case .select(let plan) = try PartiQLStatement.parse(#"SELECT pk, mymap.nested, l[1], absent FROM "Music""#, parameters: []) else {
            return XCTFail("not a select")
        }
        let item: Item = [("pk", .s("p")), ("mymap", .m([("nested", .s("deep")), ("other", .s("x"))])),
                          ("l", .l([.s("a"), .s("b")])), ("extra", .s("e"))]
        let shaped = plan.shape(item)
        XCTAssertEqual(shaped.map(\.key), ["pk", "nested", "l"])
        XCTAssertEqual(AttributeValue.m(shaped), .m([("pk", .s("p")), ("nested", .s("deep")), ("l", .s("b"))]))
        guard case .select(let star) = try PartiQLStatement.parse(#"SELECT * FROM "Music""#, parameters: []) else { return XCTFail() }
        XCTAssertEqual(star.shape(item).map(\.key), ["pk", "mymap", "l", "extra"])
    }
}
