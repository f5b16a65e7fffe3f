import Digest
import Foundation
import JSON
import Storage
import Wire

/// Resource policies (AddPermission, the statements SNS, API Gateway and S3 need to
/// invoke a function), tags, code updates and account settings.
extension LambdaService {
    func addPermission(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let sid = try input.requiredString("StatementId")
        let action = try input.requiredString("Action")
        let principal = try input.requiredString("Principal")
        guard (1...100).contains(sid.count), sid.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw LambdaError.validation("1 validation error detected: Value '\(sid)' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)")
        }
        guard action == "*" || action == "lambda:*" || (action.hasPrefix("lambda:") && action.dropFirst(7).allSatisfy(\.isLetter) && action.count > 7) else {
            throw LambdaError.validation("1 validation error detected: Value '\(action)' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])")
        }
        var statement = JSONObject()
        statement.append("Sid", .string(sid))
        statement.append("Effect", "Allow")
        if principal == "*" {
            statement.append("Principal", "*")
        } else if principal.count == 12, principal.allSatisfy(\.isNumber) {
            statement.append("Principal", ["AWS": .string("arn:aws:iam::\(principal):root")])
        } else if principal.hasPrefix("arn:") {
            statement.append("Principal", ["AWS": .string(principal)])
        } else {
            statement.append("Principal", ["Service": .string(principal)])
        }
        statement.append("Action", .string(action))
        statement.append("Resource", .string(arn))
        var condition = JSONObject()
        if let account = try input.string("SourceAccount") { condition.append("StringEquals", ["AWS:SourceAccount": .string(account)]) }
        if let source = try input.string("SourceArn") { condition.append("ArnLike", ["AWS:SourceArn": .string(source)]) }
        if !condition.isEmpty { statement.append("Condition", .object(condition)) }
        let text = JSONValue.object(statement).jsonString
        try await database.transaction { [self] db in
            _ = try configuration(arn, db: db)
            if try db.first("SELECT 1 FROM lambda_policies WHERE arn = ? AND sid = ?", [.text(arn), .text(sid)], { _ in true }) != nil {
                throw LambdaError.conflict("The statement id (\(sid)) provided already exists. Please provide a new statement id, or remove the existing statement.")
            }
            try db.run("INSERT INTO lambda_policies (arn, sid, statement) VALUES (?, ?, ?)", .text(arn), .text(sid), .text(text))
        }
        return ["Statement": .string(text)]
    }

    func getPolicy(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let (statements, revision): ([String], String) = try await database.read { [self] db in
            let configuration = try configuration(arn, db: db)
            let rows = try db.all("SELECT statement FROM lambda_policies WHERE arn = ? ORDER BY rowid", [.text(arn)]) { $0.text(0) }
            return (rows, configuration.json["RevisionId"]?.stringValue ?? "")
        }
        guard !statements.isEmpty else { throw LambdaError.resourceNotFound("The resource you requested does not exist.") }
        let policy: JSONValue = ["Version": "2012-10-17", "Id": "default",
                                 "Statement": .array(statements.compactMap { try? JSONValue.parse(Array($0.utf8)) })]
        return ["Policy": .string(policy.jsonString), "RevisionId": .string(revision)]
    }

    func removePermission(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        let sid = try input.requiredString("StatementId")
        try await database.transaction { [self] db in
            _ = try configuration(arn, db: db)
            guard try db.run("DELETE FROM lambda_policies WHERE arn = ? AND sid = ?", .text(arn), .text(sid)) > 0 else {
                throw LambdaError.resourceNotFound("Statement \(sid) is not found in resource policy.")
            }
        }
        return [:]
    }

    func updateFunctionCode(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let arn = Self.arn(try input.requiredString("FunctionName"), context)
        guard let zipText = try input.string("ZipFile") else {
            throw LambdaError.invalidParameter("Please provide a ZipFile: Offcloud keeps no S3 buckets or container images for code.")
        }
        guard let zip = Data(base64Encoded: zipText) else {
            throw LambdaError.invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.")
        }
        let dryRun = try input.bool("DryRun") ?? false
        let now = clock.nowMilliseconds()
        let updated: FunctionConfiguration = try await database.transaction { [self] db in
            var c = try configuration(arn, db: db)
            c.json["CodeSize"] = .integer(zip.count)
            c.json["CodeSha256"] = .string(Data(SHA256.hash([UInt8](zip))).base64EncodedString())
            if dryRun { return c }
            c.json["LastModified"] = .string(FunctionConfiguration.timestamp(now))
            c.json["RevisionId"] = .string(UUID().uuidString.lowercased())
            try db.run("UPDATE lambda_functions SET configuration = ? WHERE arn = ?", .text(JSONValue.object(c.json).jsonString), .text(arn))
            return c
        }
        return .object(updated.json)
    }

    /// `Tags` of CreateFunction and TagResource, as (key, value) pairs.
    static func tags(_ input: ShapeReader) throws -> [(key: String, value: String)] {
        guard let tags = input.value("Tags") else { return [] }
        guard let object = tags.objectValue else {
            throw LambdaError.invalidRequestContent("Could not parse request body into json: Tags must be a map of strings")
        }
        return try object.map { member in
            guard let value = member.value.stringValue else {
                throw LambdaError.invalidRequestContent("Could not parse request body into json: the value of tag '\(member.key)' must be a string")
            }
            return (member.key, value)
        }
    }

    static func storedTags(_ arn: String, db: Connection) throws -> JSONObject {
        var o = JSONObject()
        for (key, value) in try db.all("SELECT key, value FROM lambda_tags WHERE arn = ? ORDER BY key", [.text(arn)], { ($0.text(0), $0.text(1)) }) {
            o.append(key, .string(value))
        }
        return o
    }

    /// Tags name the function by its full ARN, as Lambda requires.
    func taggedFunction(_ input: ShapeReader, db: Connection) throws -> String {
        let resource = try input.requiredString("Resource")
        guard resource.hasPrefix("arn:") else {
            throw LambdaError.validation("1 validation error detected: Value '\(resource)' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:.*")
        }
        let arn = resource.split(separator: ":", omittingEmptySubsequences: false).prefix(7).joined(separator: ":")
        _ = try configuration(arn, db: db)
        return arn
    }

    func tagResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tags = try Self.tags(input)
        try await database.transaction { [self] db in
            let arn = try taggedFunction(input, db: db)
            for tag in tags {
                try db.run("INSERT INTO lambda_tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value",
                           .text(arn), .text(tag.key), .text(tag.value))
            }
        }
        return [:]
    }

    func untagResource(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let keys = try input.stringList("TagKeys") ?? []
        try await database.transaction { [self] db in
            let arn = try taggedFunction(input, db: db)
            for key in keys { try db.run("DELETE FROM lambda_tags WHERE arn = ? AND key = ?", .text(arn), .text(key)) }
        }
        return [:]
    }

    func listTags(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let tags = try await database.read { [self] db in try Self.storedTags(try taggedFunction(input, db: db), db: db) }
        return ["Tags": .object(tags)]
    }

    func getAccountSettings(_ context: RequestContext) async throws -> JSONValue {
        let (count, size): (Int, Int) = try await database.read { db in
            let rows = try db.all("SELECT configuration FROM lambda_functions WHERE account = ? AND region = ?",
                                  [.text(context.accountId), .text(context.region)]) { $0.text(0) }
            let size = rows.compactMap { try? JSONValue.parse(Array($0.utf8))["CodeSize"]?.intValue }.reduce(0, +)
            return (rows.count, size)
        }
        return [
            "AccountLimit": ["TotalCodeSize": 80_530_636_800, "CodeSizeUnzipped": 262_144_000, "CodeSizeZipped": 52_428_800,
                             "ConcurrentExecutions": 1000, "UnreservedConcurrentExecutions": 1000],
            "AccountUsage": ["TotalCodeSize": .integer(size), "FunctionCount": .integer(count)],
        ]
    }
}
