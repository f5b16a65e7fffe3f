import XCTest
@testable import DynamoDB

/// Statements DynamoDB refuses, with its exact words. The syntax cases are those the
/// dynamodb-conformance suite pinned against AWS (tests/tier3/error-messages).
final class PartiQLErrorTests: XCTestCase {
    static let malformed = "Statement wasn't well formed, can't be processed: "
    static let leftover = malformed + "Unexpected token after expression"
    static let mandatory = "Where clause does not contain a mandatory equality on all key attributes"

    func check(_ cases: [(String, String)], parameters: [AttributeValue] = [], file: StaticString = #filePath, line: UInt = #line) {
        for (statement, message) in cases {
            XCTAssertEqual(partiqlError { _ = try PartiQLStatement.parse(statement, parameters: parameters) }, message, statement,
                           file: file, line: line)
        }
    }

    func testTokensLeftAfterACompleteStatement() {
        check([
            (#"SELECT * FROM "Music" WHERE pk = 1 foo"#, Self.leftover),
            (#"SELECT * FROM "Music" WHERE pk = 1 e5"#, Self.leftover),
            (#"INSERT INTO "Music" VALUE {'pk': 970001} foo"#, Self.leftover),
            (#"UPDATE "Music" SET a = 9 WHERE pk = 970002 foo"#, Self.leftover),
            (#"DELETE FROM "Music" WHERE pk = 970003 foo"#, Self.leftover),
            (#"SELECT * FROM "Music" WHERE pk = 1)"#, Self.leftover),
            (#"DELETE FROM "Music" WHERE pk = 970004 ORDER BY pk"#, Self.leftover),
            (#"SELECT * FROM "Music" ORDER BY pk WHERE pk = 1"#, Self.leftover),
            (#"INSERT INTO "Music" t VALUE {'pk': 'x'}"#, Self.leftover),
            (#"FROM "Music" SET c = 1 WHERE pk = 'x'"#, Self.leftover),
            (#"FROM "Music" SET c = 1 WHERE pk = 'x' SET d = 2"#, Self.leftover),
            (#"SELECT * FROM "Music"; SELECT * FROM "Music""#, Self.leftover),
        ])
    }

    func testWhatTheLexerCannotReadHasNoDetail() {
        check([
            (#"SELECT * FROM "Music" WHERE pk = 1e2147483648"#, Self.malformed),
            (#"SELECT * FROM "Music" WHERE pk = 1e99999999999"#, Self.malformed),
            (#"SELECT * FROM "Music" WHERE pk = 1.5e-2147483647"#, Self.malformed),
            (#"SELECT * FROM "Music" WHERE pk = 1 # note"#, Self.malformed),
            (#"SELECT * FROM "Music" WHERE pk = 1 /* note"#, Self.malformed),
            (#"SELECT * FROM "Music"#, Self.malformed),
            (#"SELECT * FROM "Music" WHERE pk = 'open"#, Self.malformed),
            ("SELECT * FROM \"Music\" WHERE pk = `1`", Self.malformed),
        ])
    }

    func testWhereATermShouldStart() {
        check([
            (#"SELECT * FROM "Music" WHERE"#, Self.malformed + "Unexpected term"),
            (#"SELECT * FROM "Music" WHERE;"#, Self.malformed + "Unexpected term"),
            (#"SELECT * FROM "Music" WHERE   "#, Self.malformed + "Unexpected term"),
            (#"SELECT pk FROM "Music" WHERE"#, Self.malformed + "Unexpected term"),
            (#"UPDATE "Music" SET a = 1 WHERE"#, Self.malformed + "Unexpected term"),
            (#"DELETE FROM "Music" WHERE"#, Self.malformed + "Unexpected term"),
            (#"SELECT * FROM "Music" WHERE NOT"#, Self.malformed + "Unexpected term"),
            (#"SELECT * FROM "Music" WHERE ("#, Self.malformed + "Unexpected term"),
            (#"SELECT * FROM"#, Self.malformed + "Unexpected term"),
            (#"SELECT * FROM "Music" WHERE pk = 'p1' AND"#, Self.malformed + "Missing right-hand side expression of infix operator"),
            (#"SELECT * FROM "Music" WHERE pk = 'p1' OR"#, Self.malformed + "Missing right-hand side expression of infix operator"),
            (#"SELECT * FROM "Music" WHERE ORDER BY pk"#, Self.malformed + "Unexpected keyword"),
            (#"SELECT * FROM "Music" WHERE pk = 'a' AND x IS FOO"#, Self.malformed + "Expected type name"),
            (#"SELECT * FROM "Music" WHERE IS NULL"#, Self.malformed + "Unexpected operator"),
            (#"SELECT * FROM "Music" WHERE pk = LIKE"#, Self.malformed + "Unexpected operator"),
            ("DELETE FROM", Self.malformed + "Expected identifier for simple path"),
            ("DELETE FROM   ", Self.malformed + "Expected identifier for simple path"),
            ("DELETE FROM;", Self.malformed + "Expected identifier for simple path"),
            ("DELETE FROM WHERE pk = 'a'", Self.malformed + "Expected identifier for simple path"),
            (#"SLECT * FROM "Users""#, Self.malformed + "Expected data manipulation"),
            (#"UPDATE "Music" WHERE pk = 'a'"#, Self.malformed + "Expected data manipulation"),
            (#"SELECT * "Music""#, Self.malformed + "Expected FROM after SELECT list"),
            (#"DELETE "Music" WHERE pk = 'a'"#, Self.malformed + "Expected FROM after DELETE"),
            (#"SELECT * FROM "Music" WHERE a IN (1, 2"#, Self.malformed + "Expected RIGHT_PAREN"),
            (#"SELECT * FROM "Music" WHERE a = ()"#, Self.malformed + "Expression group cannot be empty"),
        ])
    }

    func testAliasesAreRefused() {
        check([
            (#"SELECT * FROM "Music" t WHERE pk = 'x'"#, "Aliasing is not supported"),
            (#"SELECT * FROM "Music" AS t WHERE pk = 'x'"#, "Aliasing is not supported"),
            (#"UPDATE "Music" t SET a = 3 WHERE pk = 'x'"#, "Aliasing is not supported"),
            (#"DELETE FROM "Music" t WHERE pk = 'x'"#, "Aliasing is not supported"),
        ])
    }

    func testNumberLiteralsOutsideDynamoDBsRangeNameWhereTheySit() {
        let overflow = "Number overflow. Attempting to store a number with magnitude larger than supported range"
        check([
            (#"SELECT * FROM "Music" WHERE pk = 1e126"#, "\(overflow) under root"),
            (#"SELECT * FROM "Music" WHERE pk = 1e-131"#,
             "Number underflow. Attempting to store a number with magnitude smaller than supported range under root"),
            (#"SELECT * FROM "Music" WHERE pk = 123456789012345678901234567890123456789"#,
             "Attempting to store more than 38 significant digits in a Number under root"),
            (#"INSERT INTO "Music" VALUE {'pk': 1e126}"#, "\(overflow) under root.pk"),
            (#"UPDATE "Music" SET a = 1e-131 WHERE pk = 970005"#,
             "Number underflow. Attempting to store a number with magnitude smaller than supported range under root"),
            (#"INSERT INTO "Music" VALUE {'pk': 970006, 'm': {'x': 1e126}}"#, "\(overflow) under root.m.x"),
            (#"INSERT INTO "Music" VALUE {'pk': 970007, 'l': [1, 1e126]}"#, "\(overflow) under root.l[1]"),
        ])
    }

    func testParametersMustMatchTheMarkers() {
        let message = "Number of parameters in request and statement don't match."
        check([(#"SELECT * FROM "Music" WHERE pk = ?"#, message)])
        check([(#"SELECT * FROM "Music" WHERE pk = ?"#, message)], parameters: [.s("a"), .s("b")])
        check([(#"SELECT * FROM "Music" WHERE pk = 'a'"#, message)], parameters: [.s("a")])
        // A syntax error is reported ahead of a count that does not match.
        check([(#"SELECT * FROM "Music" WHERE pk = ? AND"#, Self.malformed + "Missing right-hand side expression of infix operator")])
    }

    func testSourcesAndProjections() {
        check([
            (#"SELECT * FROM "Music"."gsi-all"."extra" WHERE pk = 'p'"#, "A path may contain at most 2 components in the FROM clause"),
            (#"SELECT * FROM "Music"."" WHERE pk = 'p'"#, "Path component cannot be an empty string"),
            (#"SELECT * FROM "" WHERE pk = 'p'"#, "Path component cannot be an empty string"),
            (#"SELECT * FROM "ab""#, "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'."),
            (#"SELECT * FROM "Music", "Other""#, "Only select from a single table or index is supported."),
            (#"SELECT *, a FROM "Music""#, "Other attributes should not be present in the projection when '*' is used."),
            (#"SELECT a[*] FROM "Music""#, "Wildcard path component like a[*].b are not supported"),
            (#"SELECT a.* FROM "Music""#, "Unpivot path component like a.*.b are not supported"),
            (#"SELECT a.x, b.x FROM "Music""#, "Duplicate identifiers in select clause: x"),
            (#"SELECT 'a' FROM "Music""#, "Unexpected path component"),
            (#"SELECT * FROM "Music" WHERE a[-1] = 1"#, "List index is not within the allowable range; index: [-1]"),
            (#"SELECT * FROM "Music" WHERE a[1.5] = 1"#, "List index is not within the allowable range; index: [1.5]"),
            (#"SELECT VALUE a FROM "Music""#, "Select projection doesn't support value or pivot keywords"),
            (#"UPDATE "Music"."idx" SET a = 1 WHERE pk = 'a'"#, "This operation is not supported on an index"),
            (#"SELECT * FROM "Music" ORDER BY pk"#, "Must have WHERE clause in the statement when using ORDER BY clause."),
        ])
    }

    func testConditions() {
        let incorrect = "Incorrect operand type for operator or function; operator or function: "
        check([
            (#"SELECT * FROM "Music" WHERE pk"#, "WHERE clause must contain an expression that resolves to a boolean"),
            (#"SELECT * FROM "Music" WHERE size(a)"#, "WHERE clause must contain an expression that resolves to a boolean"),
            (#"SELECT * FROM "Music" WHERE pk AND a = 1"#, "The arguments to AND/OR must be Expressions"),
            (#"SELECT * FROM "Music" WHERE NOT 1"#, "The argument to NOT must be a Type or Expression"),
            (#"SELECT * FROM "Music" WHERE a = MISSING"#, "MISSING must be compared using IS operator"),
            (#"SELECT * FROM "Music" WHERE 'x' IS NULL"#, "The left hand side argument to IS must be a Variable Reference, Literal, or Path"),
            (#"SELECT * FROM "Music" WHERE a IS INT"#,
             "Unsupported data type for IS operator: INT. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]"),
            (#"SELECT * FROM "Music" WHERE a IS DOUBLE PRECISION"#,
             "Unsupported data type for IS operator: DOUBLE PRECISION. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]"),
            (#"SELECT * FROM "Music" WHERE a IN []"#,
             "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member"),
            (#"SELECT * FROM "Music" WHERE 1 IN [1]"#,
             "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member"),
            (#"SELECT * FROM "Music" WHERE foo(a)"#, "Unrecognized function: foo"),
            (#"SELECT * FROM "Music" WHERE EXISTS(a)"#, "EXISTS can only be used in ExecuteTransaction write requests."),
            (#"SELECT * FROM "Music" WHERE a LIKE 'x%'"#, "Unsupported operator in Condition Expression. Operator: LIKE"),
            (#"SELECT * FROM "Music" WHERE a + 1 = 2"#, "Unsupported operator in Condition Expression. Operator: +"),
            (#"SELECT * FROM "Music" WHERE a = <<>>"#, "Empty bags are not supported"),
            (#"SELECT * FROM "Music" WHERE a = <<1, 'a'>>"#,
             "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"),
            (#"SELECT * FROM "Music" WHERE a = {'k': 1, 'k': 2}"#, "Duplicate keys in tuple. Key: k under root"),
            (#"SELECT * FROM "Music" WHERE a = {1: 2}"#, "Tuple keys must be of type String. Actual type: N under root"),
            (#"SELECT * FROM "Music" WHERE a = [b]"#, "Unsupported token in expression: b"),
            (#"SELECT * FROM "Music" WHERE pk = 'x' AND val < TRUE"#, incorrect + "<, operand type: BOOL"),
            (#"SELECT * FROM "Music" WHERE val >= [1]"#, incorrect + ">=, operand type: L"),
            (#"SELECT * FROM "Music" WHERE val BETWEEN {} AND 1"#, incorrect + "BETWEEN, operand type: M"),
        ])
        check([(#"SELECT * FROM "Music" WHERE val < ?"#, incorrect + "<, operand type: BOOL")], parameters: [.bool(true)])
        check([(#"SELECT * FROM "Music" WHERE val <= ?"#, incorrect + "<=, operand type: SS")], parameters: [.ss(["a"])])
    }

    func testWrites() {
        check([
            (#"UPDATE "Music" SET a = 1"#, Self.mandatory),
            (#"FROM "Music" SET c = 1"#, Self.mandatory),
            (#"FROM "Music" REMOVE a"#, Self.mandatory),
            (#"DELETE FROM "Music""#, Self.mandatory),
            (#"INSERT INTO "Music" <<{'pk': 'a'}>>"#,
             "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead"),
            (#"INSERT INTO "Music" VALUE 'x'"#,
             "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement."),
            (#"INSERT INTO "Music" VALUE {'pk': 'a'} AT 1"#, "AT is not supported in insert statements."),
            (#"INSERT INTO "Music" VALUE {'pk': 'a'} RETURNING ALL OLD *"#, "RETURNING is not supported in INSERT"),
            (#"DELETE FROM "Music" WHERE pk = 'x' RETURNING MODIFIED OLD *"#,
             "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
            (#"DELETE FROM "Music" WHERE pk = 'x' RETURNING ALL NEW *"#,
             "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
            (#"DELETE FROM "Music" WHERE pk = 'x' RETURNING MODIFIED NEW *"#,
             "Invalid returning clause: RETURNING MODIFIED NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
            (#"UPDATE "Music" SET a = 1 WHERE pk = 'x' RETURNING ALL NEW a"#,
             "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"),
            (#"UPDATE "Music" SET a = 1 WHERE pk = 'x' RETURNING ALL NEW *, ALL OLD *"#,
             "Invalid syntax with multiple returning elements in RETURNING clause"),
            (#"UPDATE "Music" SET s = set_add(t, <<'a'>>) WHERE pk = 'x'"#, "The first argument to SET_ADD must equal the assignment value"),
            (#"UPDATE "Music" SET s = set_delete(s, 'a') WHERE pk = 'x'"#, "The second argument to SET_DELETE must be a value with type SET"),
            (#"UPDATE "Music" SET s = set_add(s) WHERE pk = 'x'"#, "SET_ADD must have exactly two arguments"),
            (#"UPDATE "Music" SET a = b IS NULL WHERE pk = 'x'"#, "IS operator is not supported in update expressions"),
            (#"UPDATE "Music" SET a = b + c + 1 WHERE pk = 'x'"#, "Unsupported operator in Update Expression. Operator: +"),
            (#"UPDATE "Music" SET a = b = c WHERE pk = 'x'"#, "Unsupported operator in Update Expression. Operator: ="),
            (#"UPDATE "Music" SET a = nope(b) WHERE pk = 'x'"#, "Unrecognized function: nope"),
        ])
    }
}
