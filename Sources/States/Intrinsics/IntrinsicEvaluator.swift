import JSON

/// Runs one intrinsic over its already-evaluated arguments. Argument problems fail with
/// AWS's cause, `Invalid arguments in States.ArrayRange`: AWS's own message carries no
/// more detail than the function's name.
struct IntrinsicEvaluator {
    /// Strings longer than this (in UTF-16 units, as Java counts) are rejected by
    /// Base64Encode, Base64Decode and Hash.
    static let maxStringLength = 10_000
    /// ArrayRange produces at most this many items.
    static let maxRangeItems = 1_000

    let function: IntrinsicFunction
    let arguments: [JSONValue]
    /// For `States.Format` with a literal template: its text with escapes intact.
    let escapedTemplate: String?

    func run() throws -> JSONValue {
        guard function.arity.contains(arguments.count) else { throw invalidArguments() }
        switch function {
        case .array: return .array(arguments)
        case .arrayPartition: return try arrayPartition()
        case .arrayContains: return try arrayContains()
        case .arrayRange: return try arrayRange()
        case .arrayGetItem: return try arrayGetItem()
        case .arrayLength: return .integer(try array(0).count)
        case .arrayUnique: return try arrayUnique()
        case .base64Encode: return try base64Encode()
        case .base64Decode: return try base64Decode()
        case .hash: return try hash()
        case .jsonMerge: return try jsonMerge()
        case .stringToJson: return try stringToJson()
        case .jsonToString: return .string(arguments[0].jsonString)
        case .mathRandom: return try mathRandom()
        case .mathAdd: return try mathAdd()
        case .stringSplit: return try stringSplit()
        case .uuid: return .string(Self.randomUUIDv4())
        case .format: return try format()
        }
    }

    // MARK: - Argument access

    /// AWS's cause for any bad argument value.
    func invalidArguments() -> StatesError {
        .runtime("Invalid arguments in \(function.rawValue)")
    }

    func string(_ index: Int) throws -> String {
        guard case .string(let value) = arguments[index] else { throw invalidArguments() }
        return value
    }

    func array(_ index: Int) throws -> [JSONValue] {
        guard case .array(let value) = arguments[index] else { throw invalidArguments() }
        return value
    }

    func object(_ index: Int) throws -> JSONObject {
        guard case .object(let value) = arguments[index] else { throw invalidArguments() }
        return value
    }

    /// A finite number argument.
    func number(_ index: Int) throws -> Double {
        guard case .number(let spelling) = arguments[index], let value = Double(spelling), value.isFinite else {
            throw invalidArguments()
        }
        return value
    }

    /// A number argument with its fraction dropped, as AWS does for indexes, sizes and
    /// bounds (`2.6` behaves as `2`); it must fit a 32-bit signed integer.
    func truncatedInt(_ index: Int) throws -> Int {
        let value = try number(index).rounded(.towardZero)
        guard value >= Double(Int32.min), value <= Double(Int32.max) else { throw invalidArguments() }
        return Int(value)
    }

    /// A string no longer than `maxStringLength` UTF-16 units.
    func boundedString(_ index: Int) throws -> String {
        let value = try string(index)
        guard value.utf16.count <= Self.maxStringLength else { throw invalidArguments() }
        return value
    }
}
