import JSON
import Wire

/// The `Entries` of a batch request, checked as AWS checks them before any entry
/// runs: present, at most ten, ids well-formed and distinct.
struct BatchEntries {
    var entries: [(id: String, reader: ShapeReader)] = []

    init(_ input: ShapeReader, requestName: String) throws {
        guard let list = try input.structureList("Entries") else { throw SQSError.missingParameter("Entries") }
        guard !list.isEmpty else { throw SQSError.emptyBatch(requestName) }
        guard list.count <= SQSLimits.maxBatchEntries else { throw SQSError.tooManyEntries(list.count) }
        var seen = Set<String>()
        for reader in list {
            let id = try reader.requiredString("Id")
            guard SQSLimits.isValidBatchEntryId(id) else { throw SQSError.invalidBatchEntryId() }
            guard seen.insert(id).inserted else { throw SQSError.batchEntryIdsNotDistinct(id) }
            entries.append((id, reader))
        }
    }

    static func failure(id: String, _ error: SQSError) -> JSONValue {
        ["Id": .string(id), "SenderFault": .bool(error.isSenderFault), "Code": .string(error.queryCode), "Message": .string(error.message)]
    }
}
