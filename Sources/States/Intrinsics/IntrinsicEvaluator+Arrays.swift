import JSON

extension IntrinsicEvaluator {
    /// `States.ArrayPartition(array, chunkSize)`: chunks of `chunkSize`, the last possibly shorter.
    func arrayPartition() throws -> JSONValue {
        let elements = try array(0)
        let size = try truncatedInt(1)
        guard size > 0 else { throw invalidArguments() }
        var chunks: [JSONValue] = []
        var start = 0
        while start < elements.count {
            let end = min(start + size, elements.count)
            chunks.append(.array(Array(elements[start..<end])))
            start = end
        }
        return .array(chunks)
    }

    /// `States.ArrayContains(array, value)`: exact JSON equality, as written.
    func arrayContains() throws -> JSONValue {
        let elements = try array(0)
        return .bool(elements.contains(arguments[1]))
    }

    /// `States.ArrayRange(start, end, step)`: `end` is included when the steps land on it;
    /// at most 1,000 items.
    func arrayRange() throws -> JSONValue {
        let start = try truncatedInt(0)
        let end = try truncatedInt(1)
        let step = try truncatedInt(2)
        guard step != 0 else { throw invalidArguments() }
        let count: Int
        if step > 0 {
            count = start <= end ? (end - start) / step + 1 : 0
        } else {
            count = start >= end ? (start - end) / -step + 1 : 0
        }
        guard count <= Self.maxRangeItems else { throw invalidArguments() }
        return .array((0..<count).map { .integer(start + $0 * step) })
    }

    /// `States.ArrayGetItem(array, index)`: the item at a zero-based index.
    func arrayGetItem() throws -> JSONValue {
        let elements = try array(0)
        let index = try truncatedInt(1)
        guard elements.indices.contains(index) else { throw invalidArguments() }
        return elements[index]
    }

    /// `States.ArrayUnique(array)`: first occurrences, in order.
    func arrayUnique() throws -> JSONValue {
        var seen = Set<JSONValue>()
        var unique: [JSONValue] = []
        for element in try array(0) where seen.insert(element).inserted {
            unique.append(element)
        }
        return .array(unique)
    }
}
