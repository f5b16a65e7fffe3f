import JSON
import Wire

extension DynamoDBError {
    /// TransactionCanceledException's `CancellationReasons` and a failed condition's `Item`.
    public var extraMembers: JSONObject? {
        var o = JSONObject()
        if let reasons = cancellationReasons {
            o["CancellationReasons"] = .array(reasons.map { reason in
                var r = JSONObject()
                if let item = reason.item { r["Item"] = ItemCodec.json(item) }
                r["Code"] = .string(reason.code)
                if let message = reason.message { r["Message"] = .string(message) }
                return .object(r)
            })
        }
        if let item { o["Item"] = ItemCodec.json(item) }
        return o.isEmpty ? nil : o
    }
}
