import JSON
import Storage
import Wire
import XCTest
@testable import DynamoDB

/// Translated statements run through the service: the requests are ones it accepts and
/// they do what the statements say.
final class PartiQLServiceTests: XCTestCase {
    let context = RequestContext(requestId: "r", accountId: "000000000000", region: "us-east-1", host: "localhost")

    func makeService() async throws -> DynamoDBService {
        let service = try await DynamoDBService(database: try Database(path: nil))
        _ = try await service.invoke(.createTable, try ShapeReader(try JSONValue.parse("""
            {"TableName":"Orders","BillingMode":"PAY_PER_REQUEST",
             "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]}
            """)), context)
        return service
    }

    /// Runs a statement as the service would serve ExecuteStatement.
    @discardableResult
    func run(_ service: DynamoDBService, _ statement: String, _ parameters: [AttributeValue] = []) async throws -> JSONValue {
        let parsed = try PartiQLStatement.parse(statement, parameters: parameters)
        let request = try parsed.request(key: PartiQLKeys.composite)
        do {
            return try await service.invoke(request.operation, try ShapeReader(request.input), context)
        } catch let e as DynamoDBError where e.code == "ConditionalCheckFailedException" {
            if case .insert = parsed { throw PartiQLStatement.duplicateItemError }
            throw e
        }
    }

    func code(_ body: () async throws -> Void) async -> String {
        do {
            try await body()
            return "<no error>"
        } catch let e as DynamoDBError {
            return e.code
        } catch {
            return "\(error)"
        }
    }

    func items(_ response: JSONValue) -> [JSONValue] { response["Items"]?.arrayValue ?? [] }

    func testStatementsRunThroughTheService() async throws {
        let service = try await makeService()
        try await run(service, #"INSERT INTO "Orders" VALUE {'pk': 'a', 'sk': '1', 'n': 1, 'tags': <<'x'>>}"#)
        let duplicate = await code { try await self.run(service, #"INSERT INTO "Orders" VALUE {'pk': 'a', 'sk': '1'}"#) }
        XCTAssertEqual(duplicate, "DuplicateItemException")
        try await run(service, #"INSERT INTO "Orders" VALUE {'pk': ?, 'sk': ?, 'n': 5, 'm': {'size': 2}}"#, [.s("a"), .s("2")])
        try await run(service, #"INSERT INTO "Orders" VALUE {'pk': 'b', 'sk': '1', 'n': 3, 'status': NULL}"#)

        var rows = items(try await run(service, #"SELECT * FROM "Orders" WHERE pk = 'a'"#))
        XCTAssertEqual(rows.map { $0["sk"]?["S"] }, ["1", "2"])
        rows = items(try await run(service, #"SELECT * FROM "Orders" WHERE pk = 'a' ORDER BY sk DESC"#))
        XCTAssertEqual(rows.map { $0["sk"]?["S"] }, ["2", "1"])
        rows = items(try await run(service, #"SELECT n FROM "Orders" WHERE pk = 'a' AND n > 2"#))
        XCTAssertEqual(rows, [["n": ["N": "5"]]])
        rows = items(try await run(service, #"SELECT * FROM "Orders" WHERE pk = 'a' AND sk <> '1'"#))
        XCTAssertEqual(rows.count, 1)
        rows = items(try await run(service, #"SELECT * FROM "Orders" WHERE n >= 3"#))
        XCTAssertEqual(rows.count, 2)
        rows = items(try await run(service, """
            SELECT pk, sk FROM "Orders" WHERE (m IS MISSING OR m."size" BETWEEN 1 AND 3) AND NOT contains(tags, 'z')
            AND pk IN ['a', 'b'] AND size(pk) = 1 AND (status IS NULL OR attribute_type(n, 'N'))
            """))
        XCTAssertEqual(rows.count, 3)
        rows = items(try await run(service, #"SELECT * FROM "Orders" WHERE NOT NOT n = 1 OR n NOT IN [5] AND n NOT BETWEEN 10 AND 20"#))
        XCTAssertEqual(rows.map { $0["n"]?["N"] }, ["1", "3"])
        rows = items(try await run(service, #"SELECT * FROM "Orders" WHERE status IS NULL"#))
        XCTAssertEqual(rows.map { $0["pk"]?["S"] }, ["b"])

        let updated = try await run(service,
            #"UPDATE "Orders" SET n = n + 1 SET tags = set_add(tags, <<'y'>>) WHERE pk = 'a' AND sk = '1' RETURNING ALL NEW *"#)
        XCTAssertEqual(updated["Attributes"]?["n"], ["N": "2"])
        XCTAssertEqual(updated["Attributes"]?["tags"], ["SS": ["x", "y"]])
        let missing = await code { try await self.run(service, #"UPDATE "Orders" SET n = 1 WHERE pk = 'zz' AND sk = '1'"#) }
        XCTAssertEqual(missing, "ConditionalCheckFailedException")
        let falseCondition = await code { try await self.run(service, #"UPDATE "Orders" SET n = 1 WHERE pk = 'a' AND sk = '1' AND n = 99"#) }
        XCTAssertEqual(falseCondition, "ConditionalCheckFailedException")
        try await run(service, #"UPDATE "Orders" REMOVE m."size" WHERE pk = 'a' AND sk = '2'"#)

        let keep = await code { try await self.run(service, #"DELETE FROM "Orders" WHERE pk = 'b' AND sk = '1' AND n = 99"#) }
        XCTAssertEqual(keep, "ConditionalCheckFailedException")
        // Conditions on a missing item fail too, as DynamoDB evaluates them.
        let missingDelete = await code { try await self.run(service, #"DELETE FROM "Orders" WHERE pk = 'nope' AND sk = '1' AND n = 99"#) }
        XCTAssertEqual(missingDelete, "ConditionalCheckFailedException")
        let deleted = try await run(service, #"DELETE FROM "Orders" WHERE pk = 'b' AND sk = '1' AND n = 3 RETURNING ALL OLD *"#)
        XCTAssertEqual(deleted["Attributes"]?["n"], ["N": "3"])
        rows = items(try await run(service, #"SELECT * FROM "Orders""#))
        XCTAssertEqual(rows.count, 2)
    }
}

/// How errors of the translated requests are reported to the PartiQL client.
final class PartiQLServiceErrorTests: XCTestCase {
    func testServiceErrorsAreRewordedAsExecuteStatementReportsThem() throws {
        let insert = try PartiQLStatement.parse(#"INSERT INTO "Music" VALUE {'pk': 'a'}"#, parameters: [])
        let select = try PartiQLStatement.parse(#"SELECT * FROM "Music"."idx" WHERE pk = 'a'"#, parameters: [])
        let cases: [(PartiQLStatement, DynamoDBError, String)] = [
            (insert, .conditionalCheckFailed(), "DuplicateItemException: Duplicate primary key exists in table"),
            (select, .conditionalCheckFailed(), "ConditionalCheckFailedException: The conditional request failed"),
            (select, .resourceNotFound("Requested resource not found: Table: Music not found"),
             "ResourceNotFoundException: Requested resource not found"),
            (select, .validation("The table does not have the specified index: idx"),
             "ValidationException: The table does not have the specified index"),
            (select, .validation("Consistent reads are not supported on global secondary indexes"),
             "ValidationException: Strongly consistent read is not supported on Global Secondary Indexes"),
            (select, .validation("Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"),
             "ValidationException: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"),
            (select, .validation("Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: x"),
             "ValidationException: Attribute name is a reserved keyword; reserved keyword: x"),
            (select, .validation("Item size has exceeded the maximum allowed size"),
             "ValidationException: Item size has exceeded the maximum allowed size"),
        ]
        for (statement, error, expected) in cases {
            XCTAssertEqual(statement.error(from: error).description, expected)
        }
    }
}
