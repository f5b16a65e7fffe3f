extension PartiQLStatement {
    /// The error ExecuteStatement reports when the request a statement became fails:
    /// DynamoDB's PartiQL words some errors differently from the operation it runs.
    ///
    /// - An INSERT whose key exists is a DuplicateItemException.
    /// - An unknown table is "Requested resource not found", with no table name; an
    ///   unknown index is "The table does not have the specified index", with no index
    ///   name; a consistent read of a global index has its own sentence (all three pinned
    ///   against AWS by dynamodb-conformance, tests/tier3/error-messages/partiql.test.ts).
    /// - An expression error loses its "Invalid FilterExpression: " (…) prefix: the client
    ///   wrote no such parameter (AWS's PartiQL answers `val < ?` with a BOOL parameter
    ///   in the expression language's words without it).
    public func error(from error: DynamoDBError) -> DynamoDBError {
        var out = error
        switch error.code {
        case "ConditionalCheckFailedException":
            if case .insert = self { return PartiQLError.duplicateItem }
        case "ResourceNotFoundException":
            out.message = "Requested resource not found"
        case "ValidationException":
            if error.message.hasPrefix("The table does not have the specified index") {
                out.message = "The table does not have the specified index"
            } else if error.message == "Consistent reads are not supported on global secondary indexes" {
                out.message = "Strongly consistent read is not supported on Global Secondary Indexes"
            } else {
                for kind in [ExpressionKind.condition, .filter, .keyCondition, .update, .projection] {
                    let prefix = "Invalid \(kind.rawValue): "
                    if error.message.hasPrefix(prefix) {
                        out.message = String(error.message.dropFirst(prefix.count))
                        break
                    }
                }
            }
        default:
            break
        }
        return out
    }
}
