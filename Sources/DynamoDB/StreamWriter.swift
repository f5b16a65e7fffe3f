import Foundation
import JSON
import Storage

/// Appends a stream record for every write to a table whose stream is on, shaped as
/// GetRecords returns it.
struct StreamWriter {
    let db: Connection
    let table: TableRecord

    func record(old: Item?, new: Item?, now: Int64, byTTL: Bool = false) throws {
        guard let view = table.definition.streamViewType, let label = table.streamLabel else { return }
        // A write that changes nothing writes no record.
        if let old, let new, ItemCodec.sameItem(old, new) { return }
        let eventName = old == nil ? "INSERT" : (new == nil ? "REMOVE" : "MODIFY")
        let source = new ?? old ?? []
        let keyNames = Set(table.definition.key.names)
        var dynamodb = JSONObject()
        dynamodb.append("ApproximateCreationDateTime", .integer(now / 1000))
        dynamodb.append("Keys", ItemCodec.json(source.filter { keyNames.contains($0.key) }))
        if let new, view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES" { dynamodb.append("NewImage", ItemCodec.json(new)) }
        if let old, view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES" { dynamodb.append("OldImage", ItemCodec.json(old)) }
        try db.run("INSERT INTO ddb_stream_records (table_id, stream_label, created_at, record) VALUES (?, ?, ?, '')",
                   .integer(table.id), .text(label), .integer(now))
        let seq = db.lastInsertRowID
        // AWS sequence numbers are 21+ digit decimal strings that grow with each record.
        dynamodb.append("SequenceNumber", .string(StreamWriter.sequenceNumber(seq)))
        dynamodb.append("SizeBytes", .integer(Int64(JSONValue.object(dynamodb).serialized().count)))
        dynamodb.append("StreamViewType", .string(view))
        var record = JSONObject()
        record.append("eventID", .string(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")))
        record.append("eventName", .string(eventName))
        record.append("eventVersion", "1.1")
        record.append("eventSource", "aws:dynamodb")
        record.append("awsRegion", .string(String(table.arn.split(separator: ":")[3])))
        record.append("dynamodb", .object(dynamodb))
        if byTTL {
            record.append("userIdentity", ["PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"])
        }
        try db.run("UPDATE ddb_stream_records SET record = ? WHERE seq = ?", .text(JSONValue.object(record).jsonString), .integer(seq))
    }

    static func sequenceNumber(_ seq: Int64) -> String {
        let digits = String(seq)
        return "1" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
