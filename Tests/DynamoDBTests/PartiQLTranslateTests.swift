import JSON
import XCTest
@testable import DynamoDB

/// Key schemas the PartiQL tests translate against.
enum PartiQLKeys {
    static let hash = KeySchema(hash: KeyAttribute(name: "pk", type: "S"), range: nil)
    static let composite = KeySchema(hash: KeyAttribute(name: "pk", type: "S"), range: KeyAttribute(name: "sk", type: "S"))
    static let numberRange = KeySchema(hash: KeyAttribute(name: "pk", type: "S"), range: KeyAttribute(name: "n", type: "N"))
    static let index = KeySchema(hash: KeyAttribute(name: "gpk", type: "N"), range: nil)
}

/// The request a statement becomes, as compact JSON text (for readable failures).
func partiqlRequest(_ statement: String, _ parameters: [AttributeValue] = [], key: KeySchema) throws -> PartiQLRequest {
    try PartiQLStatement.parse(statement, parameters: parameters).request(key: key)
}

/// The message of the ValidationException (or "Code: message" of another error) a body throws.
func partiqlError(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "<no error>"
    } catch let e as DynamoDBError {
        return e.code == "ValidationException" ? e.message : "\(e.code): \(e.message)"
    } catch {
        return "unexpected \(error)"
    }
}

/// Each statement's operation and exact JSON request, as boto3 would send it.
final class PartiQLTranslateTests: XCTestCase {
    struct Case {
        var statement: String
        var parameters: [AttributeValue] = []
        var key = PartiQLKeys.hash
        var operation: DynamoDBOperation
        var json: String
    }

    func check(_ cases: [Case], file: StaticString = #filePath, line: UInt = #line) {
        for c in cases {
            do {
                let request = try partiqlRequest(c.statement, c.parameters, key: c.key)
                let expected = try JSONValue.parse(c.json)
                XCTAssertEqual(request.operation, c.operation, c.statement, file: file, line: line)
                XCTAssertEqual(request.input.jsonString, expected.jsonString, c.statement, file: file, line: line)
            } catch {
                XCTFail("\(c.statement): \(error)", file: file, line: line)
            }
        }
    }

    func testSelectWithoutPartitionKeyEqualityIsAScan() {
        check([
            Case(statement: #"SELECT * FROM "Music""#, operation: .scan, json: #"{"TableName":"Music"}"#),
            Case(statement: #"SELECT * FROM Music WHERE Artist = 'Acme'"#, operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"#n0 = :v0","ExpressionAttributeNames":{"#n0":"Artist"},
                 "ExpressionAttributeValues":{":v0":{"S":"Acme"}}}
                """),
            Case(statement: #"SELECT * FROM "Music" WHERE pk = 'a' OR pk = 'b'"#, operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"#n0 = :v0 OR #n0 = :v1","ExpressionAttributeNames":{"#n0":"pk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"b"}}}
                """),
            Case(statement: #"SELECT * FROM "Music" WHERE pk IN ['a', 'b']"#, operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"#n0 IN (:v0, :v1)","ExpressionAttributeNames":{"#n0":"pk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"b"}}}
                """),
            // A partition value of the wrong type matches nothing; a Scan says so without a type error.
            Case(statement: #"SELECT * FROM "Music" WHERE pk = 1"#, operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"#n0 = :v0","ExpressionAttributeNames":{"#n0":"pk"},
                 "ExpressionAttributeValues":{":v0":{"N":"1"}}}
                """),
            Case(statement: #"SELECT * FROM "Music" WHERE pk > 'a'"#, operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"#n0 > :v0","ExpressionAttributeNames":{"#n0":"pk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"}}}
                """),
            // The partition key used again elsewhere cannot go in a Query's filter.
            Case(statement: #"SELECT * FROM "Music" WHERE pk = 'a' AND (pk = 'a' OR x = 1)"#, operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"#n0 = :v0 AND (#n0 = :v1 OR #n1 = :v2)",
                 "ExpressionAttributeNames":{"#n0":"pk","#n1":"x"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"a"},":v2":{"N":"1"}}}
                """),
        ])
    }

    func testSelectPinningThePartitionKeyIsAQuery() {
        check([
            Case(statement: #"SELECT * FROM "Music" WHERE pk = 'a'"#, operation: .query, json: """
                {"TableName":"Music","KeyConditionExpression":"#n0 = :v0","ExpressionAttributeNames":{"#n0":"pk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"}}}
                """),
            Case(statement: #"SELECT a, b.c, d[1] FROM "Music" WHERE pk = ? AND x > 5"#, parameters: [.s("p")], operation: .query, json: """
                {"TableName":"Music","KeyConditionExpression":"#n4 = :v0","FilterExpression":"#n5 > :v1",
                 "ProjectionExpression":"#n0, #n1.#n2, #n3[1]",
                 "ExpressionAttributeNames":{"#n0":"a","#n1":"b","#n2":"c","#n3":"d","#n4":"pk","#n5":"x"},
                 "ExpressionAttributeValues":{":v0":{"S":"p"},":v1":{"N":"5"}}}
                """),
            // Written value-first, the key condition is turned round.
            Case(statement: #"SELECT * FROM "Orders" WHERE 'a' = pk AND 'm' < sk"#, key: PartiQLKeys.composite, operation: .query, json: """
                {"TableName":"Orders","KeyConditionExpression":"#n0 = :v0 AND #n1 > :v1","ExpressionAttributeNames":{"#n0":"pk","#n1":"sk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"m"}}}
                """),
            Case(statement: #"SELECT * FROM "Orders" WHERE pk = 'a' AND sk BETWEEN 'b' AND 'c' AND n = 1"#, key: PartiQLKeys.composite,
                 operation: .query, json: """
                {"TableName":"Orders","KeyConditionExpression":"#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2","FilterExpression":"#n2 = :v3",
                 "ExpressionAttributeNames":{"#n0":"pk","#n1":"sk","#n2":"n"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"b"},":v2":{"S":"c"},":v3":{"N":"1"}}}
                """),
            Case(statement: #"SELECT * FROM "Orders" WHERE pk = 'a' AND begins_with("sk", 'x')"#, key: PartiQLKeys.composite,
                 operation: .query, json: """
                {"TableName":"Orders","KeyConditionExpression":"#n0 = :v0 AND begins_with(#n1, :v1)",
                 "ExpressionAttributeNames":{"#n0":"pk","#n1":"sk"},"ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"x"}}}
                """),
            Case(statement: #"SELECT * FROM "Orders"."byG" WHERE gpk = 5"#,
                 key: PartiQLKeys.index, operation: .query, json: """
                {"TableName":"Orders","IndexName":"byG","KeyConditionExpression":"#n0 = :v0","ExpressionAttributeNames":{"#n0":"gpk"},
                 "ExpressionAttributeValues":{":v0":{"N":"5"}}}
                """),
            Case(statement: #"SELECT * FROM "Orders" WHERE pk = 'a' ORDER BY sk DESC"#, key: PartiQLKeys.composite, operation: .query, json: """
                {"TableName":"Orders","KeyConditionExpression":"#n0 = :v0","ExpressionAttributeNames":{"#n0":"pk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"}},"ScanIndexForward":false}
                """),
            Case(statement: #"SELECT * FROM "Orders" WHERE pk = 'a' AND sk >= 'b' ORDER BY pk, sk ASC"#, key: PartiQLKeys.composite,
                 operation: .query, json: """
                {"TableName":"Orders","KeyConditionExpression":"#n0 = :v0 AND #n1 >= :v1","ExpressionAttributeNames":{"#n0":"pk","#n1":"sk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"b"}}}
                """),
        ])
    }

    func testSortKeyConditionsAKeyConditionCannotStateMakeAScan() {
        check([
            Case(statement: #"SELECT * FROM "Orders" WHERE pk = 'a' AND sk <> 'x'"#, key: PartiQLKeys.composite, operation: .scan, json: """
                {"TableName":"Orders","FilterExpression":"#n0 = :v0 AND #n1 <> :v1","ExpressionAttributeNames":{"#n0":"pk","#n1":"sk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"x"}}}
                """),
            Case(statement: #"SELECT * FROM "Orders" WHERE pk = 'a' AND sk > 'b' AND sk < 'c'"#, key: PartiQLKeys.composite, operation: .scan, json: """
                {"TableName":"Orders","FilterExpression":"#n0 = :v0 AND #n1 > :v1 AND #n1 < :v2","ExpressionAttributeNames":{"#n0":"pk","#n1":"sk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"b"},":v2":{"S":"c"}}}
                """),
            Case(statement: #"SELECT * FROM "Orders" WHERE pk = 'a' AND begins_with(n, 1)"#, key: PartiQLKeys.numberRange, operation: .scan, json: """
                {"TableName":"Orders","FilterExpression":"#n0 = :v0 AND begins_with(#n1, :v1)","ExpressionAttributeNames":{"#n0":"pk","#n1":"n"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"N":"1"}}}
                """),
        ])
    }

    func testConditionsKeepTheirGroupingAndBecomeDynamoDBFunctions() {
        check([
            Case(statement: #"SELECT * FROM "Music" WHERE (a = 1 OR b = 2) AND NOT (c = 3 AND d != 4)"#, operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"(#n0 = :v0 OR #n1 = :v1) AND NOT (#n2 = :v2 AND #n3 <> :v3)",
                 "ExpressionAttributeNames":{"#n0":"a","#n1":"b","#n2":"c","#n3":"d"},
                 "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"N":"2"},":v2":{"N":"3"},":v3":{"N":"4"}}}
                """),
            Case(statement: """
                SELECT * FROM "Music" WHERE a IS MISSING AND b IS NOT MISSING AND c IS NULL AND d IS NOT STRING
                AND contains(e, 'x') AND attribute_type(f, 'N') AND size(g) >= 2
                """, operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"attribute_not_exists(#n0) AND attribute_exists(#n1) AND attribute_type(#n2, :v0) AND NOT attribute_type(#n3, :v1) AND contains(#n4, :v2) AND attribute_type(#n5, :v3) AND size(#n6) >= :v4",
                 "ExpressionAttributeNames":{"#n0":"a","#n1":"b","#n2":"c","#n3":"d","#n4":"e","#n5":"f","#n6":"g"},
                 "ExpressionAttributeValues":{":v0":{"S":"NULL"},":v1":{"S":"S"},":v2":{"S":"x"},":v3":{"S":"N"},":v4":{"N":"2"}}}
                """),
            Case(statement: #"SELECT * FROM "Music" WHERE a NOT IN (1, 2) AND b NOT BETWEEN 1 AND 3 OR NOT c = 'x'"#, operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"NOT #n0 IN (:v0, :v1) AND NOT #n1 BETWEEN :v2 AND :v3 OR NOT #n2 = :v4",
                 "ExpressionAttributeNames":{"#n0":"a","#n1":"b","#n2":"c"},
                 "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"N":"2"},":v2":{"N":"1"},":v3":{"N":"3"},":v4":{"S":"x"}}}
                """),
            // Names that are reserved words or hold dots are placeholders like any other.
            Case(statement: #"SELECT "size", "a.b" FROM "Music" WHERE "value" = 'x' AND "Count"[0].x = 1"#, operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"#n2 = :v0 AND #n3[0].#n4 = :v1","ProjectionExpression":"#n0, #n1",
                 "ExpressionAttributeNames":{"#n0":"size","#n1":"a.b","#n2":"value","#n3":"Count","#n4":"x"},
                 "ExpressionAttributeValues":{":v0":{"S":"x"},":v1":{"N":"1"}}}
                """),
        ])
    }

    func testLiteralsAndParametersBecomeAttributeValues() {
        check([
            Case(statement: #"SELECT * FROM "Music" WHERE a = {'k': [1, 'x', true, null]} AND b = <<'x', 'y', 'x'>> AND c = <<1, 2>> AND d = -1.50"#,
                 operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2 AND #n3 = :v3",
                 "ExpressionAttributeNames":{"#n0":"a","#n1":"b","#n2":"c","#n3":"d"},
                 "ExpressionAttributeValues":{":v0":{"M":{"k":{"L":[{"N":"1"},{"S":"x"},{"BOOL":true},{"NULL":true}]}}},
                   ":v1":{"SS":["x","y"]},":v2":{"NS":["1","2"]},":v3":{"N":"-1.5"}}}
                """),
            Case(statement: #"SELECT * FROM "Music" WHERE a = <<?, ?>> AND b = ? AND c = 'it''s' AND d = 1e2"#,
                 parameters: [.b([1]), .b([2]), .l([.s("q")])], operation: .scan, json: """
                {"TableName":"Music","FilterExpression":"#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2 AND #n3 = :v3",
                 "ExpressionAttributeNames":{"#n0":"a","#n1":"b","#n2":"c","#n3":"d"},
                 "ExpressionAttributeValues":{":v0":{"BS":["AQ==","Ag=="]},":v1":{"L":[{"S":"q"}]},":v2":{"S":"it's"},":v3":{"N":"100"}}}
                """),
        ])
    }

    func testInsertIsAPutItemThatRefusesAnExistingKey() {
        check([
            Case(statement: #"INSERT INTO "Music" VALUE {'pk': 'a', 'n': 1, 'm': {'x': [1]}, 'gone': MISSING}"#, operation: .putItem, json: """
                {"TableName":"Music","Item":{"pk":{"S":"a"},"n":{"N":"1"},"m":{"M":{"x":{"L":[{"N":"1"}]}}}},
                 "ConditionExpression":"attribute_not_exists(#n0)","ExpressionAttributeNames":{"#n0":"pk"}}
                """),
            Case(statement: #"insert into "Orders" value {'pk': ?, 'sk': ?, 'tags': <<'a', 'b'>>}"#, parameters: [.s("p"), .s("s")],
                 key: PartiQLKeys.composite, operation: .putItem, json: """
                {"TableName":"Orders","Item":{"pk":{"S":"p"},"sk":{"S":"s"},"tags":{"SS":["a","b"]}},
                 "ConditionExpression":"attribute_not_exists(#n0)","ExpressionAttributeNames":{"#n0":"pk"}}
                """),
            Case(statement: #"INSERT INTO Music VALUE ?"#, parameters: [.m([("pk", .s("z"))])], operation: .putItem, json: """
                {"TableName":"Music","Item":{"pk":{"S":"z"}},"ConditionExpression":"attribute_not_exists(#n0)",
                 "ExpressionAttributeNames":{"#n0":"pk"}}
                """),
        ])
    }

    func testUpdateIsAnUpdateItemOfAnExistingItem() {
        check([
            Case(statement: #"UPDATE "Music" SET a = 1, b.c[2] = 'x' REMOVE d WHERE pk = 'k'"#, operation: .updateItem, json: """
                {"TableName":"Music","Key":{"pk":{"S":"k"}},"UpdateExpression":"SET #n0 = :v0, #n1.#n2[2] = :v1 REMOVE #n3",
                 "ConditionExpression":"attribute_exists(#n4)",
                 "ExpressionAttributeNames":{"#n0":"a","#n1":"b","#n2":"c","#n3":"d","#n4":"pk"},
                 "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"S":"x"}}}
                """),
            Case(statement: #"UPDATE "Orders" SET n = n + 1 SET l = list_append(l, [2]) WHERE sk = 's' AND pk = 'k' AND n < 10 RETURNING ALL NEW *"#,
                 key: PartiQLKeys.composite, operation: .updateItem, json: """
                {"TableName":"Orders","Key":{"pk":{"S":"k"},"sk":{"S":"s"}},"UpdateExpression":"SET #n0 = #n0 + :v0, #n1 = list_append(#n1, :v1)",
                 "ConditionExpression":"attribute_exists(#n2) AND #n0 < :v2","ExpressionAttributeNames":{"#n0":"n","#n1":"l","#n2":"pk"},
                 "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"L":[{"N":"2"}]},":v2":{"N":"10"}},"ReturnValues":"ALL_NEW"}
                """),
            Case(statement: #"UPDATE "Music" SET s = set_add(s, <<'a'>>) SET t = SET_DELETE(t, <<1>>) SET u = u - 2 REMOVE v WHERE pk = 'k' RETURNING MODIFIED OLD *"#,
                 operation: .updateItem, json: """
                {"TableName":"Music","Key":{"pk":{"S":"k"}},"UpdateExpression":"SET #n2 = #n2 - :v2 REMOVE #n3 ADD #n0 :v0 DELETE #n1 :v1",
                 "ConditionExpression":"attribute_exists(#n4)","ExpressionAttributeNames":{"#n0":"s","#n1":"t","#n2":"u","#n3":"v","#n4":"pk"},
                 "ExpressionAttributeValues":{":v0":{"SS":["a"]},":v1":{"NS":["1"]},":v2":{"N":"2"}},"ReturnValues":"UPDATED_OLD"}
                """),
            Case(statement: #"FROM "Music" WHERE pk = 'k' REMOVE a"#, operation: .updateItem, json: """
                {"TableName":"Music","Key":{"pk":{"S":"k"}},"UpdateExpression":"REMOVE #n0","ConditionExpression":"attribute_exists(#n1)",
                 "ExpressionAttributeNames":{"#n0":"a","#n1":"pk"}}
                """),
            Case(statement: #"UPDATE "Music" SET a = if_not_exists(a, 0) WHERE pk = 'k' AND (b = 1 OR c IS MISSING)"#, operation: .updateItem, json: """
                {"TableName":"Music","Key":{"pk":{"S":"k"}},"UpdateExpression":"SET #n0 = if_not_exists(#n0, :v0)",
                 "ConditionExpression":"attribute_exists(#n1) AND (#n2 = :v1 OR attribute_not_exists(#n3))",
                 "ExpressionAttributeNames":{"#n0":"a","#n1":"pk","#n2":"b","#n3":"c"},
                 "ExpressionAttributeValues":{":v0":{"N":"0"},":v1":{"N":"1"}}}
                """),
        ])
    }

    /// Extra WHERE conditions are the DeleteItem's condition: on a missing item they fail.
    func testDeleteIsADeleteItemWhoseExtraConditionsAreItsCondition() {
        check([
            Case(statement: #"DELETE FROM "Music" WHERE pk = 'k'"#, operation: .deleteItem, json: #"{"TableName":"Music","Key":{"pk":{"S":"k"}}}"#),
            Case(statement: #"DELETE FROM "Music" WHERE pk = 'k' AND a = 1 RETURNING ALL OLD *"#, operation: .deleteItem, json: """
                {"TableName":"Music","Key":{"pk":{"S":"k"}},"ConditionExpression":"#n0 = :v0",
                 "ExpressionAttributeNames":{"#n0":"a"},"ExpressionAttributeValues":{":v0":{"N":"1"}},"ReturnValues":"ALL_OLD"}
                """),
            Case(statement: #"DELETE FROM "Orders" WHERE pk = 'k' AND (a = 1 OR b = 2) AND sk = 's' AND NOT begins_with(c, 'x')"#,
                 key: PartiQLKeys.composite, operation: .deleteItem, json: """
                {"TableName":"Orders","Key":{"pk":{"S":"k"},"sk":{"S":"s"}},
                 "ConditionExpression":"((#n0 = :v0 OR #n1 = :v1) AND NOT begins_with(#n2, :v2))",
                 "ExpressionAttributeNames":{"#n0":"a","#n1":"b","#n2":"c"},
                 "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"N":"2"},":v2":{"S":"x"}}}
                """),
        ])
    }

    func testTranslationErrorsNeedTheKeySchema() {
        let cases: [(String, [AttributeValue], KeySchema, String)] = [
            (#"DELETE FROM "Music" WHERE "name" = 'alpha'"#, [], PartiQLKeys.hash,
             "Where clause does not contain a mandatory equality on all key attributes"),
            (#"DELETE FROM "Orders" WHERE pk = 'p1'"#, [], PartiQLKeys.composite,
             "Where clause does not contain a mandatory equality on all key attributes"),
            (#"UPDATE "Music" SET a = 1 WHERE pk = 'a' OR pk = 'b'"#, [], PartiQLKeys.hash,
             "Where clause does not contain a mandatory equality on all key attributes"),
            (#"FROM "Music" WHERE a = 1 SET c = 1"#, [], PartiQLKeys.hash,
             "Where clause does not contain a mandatory equality on all key attributes"),
            (#"DELETE FROM "Music" WHERE pk = 'a' AND pk = 'b'"#, [], PartiQLKeys.hash,
             "Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported"),
            (#"UPDATE "Orders" SET a = 1 WHERE pk = 'a' AND sk = 'b' AND sk > 'a'"#, [], PartiQLKeys.composite,
             "Multiple conditions on same key sk. Only single item Update/Insert/Delete are supported"),
            (#"INSERT INTO "Music" VALUE {'a': 1}"#, [], PartiQLKeys.hash, "Key attribute should be present in the item: Key pk"),
            (#"INSERT INTO "Orders" VALUE {'pk': 'a', 'sk': 1}"#, [], PartiQLKeys.composite,
             "Key attribute's data type should match its data type in table's schema: Key sk"),
            (#"SELECT * FROM "Orders" WHERE pk = 'a' ORDER BY x"#, [], PartiQLKeys.composite,
             "Variable reference x in ORDER BY clause must be part of the primary key"),
            (#"SELECT * FROM "Orders" WHERE sk = 'a' ORDER BY sk"#, [], PartiQLKeys.composite,
             "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."),
        ]
        for (statement, parameters, key, message) in cases {
            XCTAssertEqual(partiqlError { _ = try partiqlRequest(statement, parameters, key: key) }, message, statement)
        }
    }

    func testDuplicateItemErrorIsDynamoDBs() {
        XCTAssertEqual(PartiQLStatement.duplicateItemError.code, "DuplicateItemException")
        XCTAssertEqual(PartiQLStatement.duplicateItemError.message, "Duplicate primary key exists in table")
    }
}
