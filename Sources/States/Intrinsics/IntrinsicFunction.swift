/// The intrinsic functions of the Amazon States Language (JSONPath states only).
public enum IntrinsicFunction: String, CaseIterable, Sendable {
    // Arrays
    case array = "States.Array"
    case arrayPartition = "States.ArrayPartition"
    case arrayContains = "States.ArrayContains"
    case arrayRange = "States.ArrayRange"
    case arrayGetItem = "States.ArrayGetItem"
    case arrayLength = "States.ArrayLength"
    case arrayUnique = "States.ArrayUnique"
    // Encoding and hashing
    case base64Encode = "States.Base64Encode"
    case base64Decode = "States.Base64Decode"
    case hash = "States.Hash"
    // JSON
    case jsonMerge = "States.JsonMerge"
    case stringToJson = "States.StringToJson"
    case jsonToString = "States.JsonToString"
    // Math
    case mathRandom = "States.MathRandom"
    case mathAdd = "States.MathAdd"
    // Strings and identifiers
    case stringSplit = "States.StringSplit"
    case uuid = "States.UUID"
    case format = "States.Format"

    /// How many arguments the function takes.
    public var arity: ClosedRange<Int> {
        switch self {
        case .array: return 0...Int.max
        case .format: return 1...Int.max
        case .uuid: return 0...0
        case .stringToJson, .jsonToString, .arrayLength, .arrayUnique, .base64Encode, .base64Decode: return 1...1
        case .arrayPartition, .arrayContains, .arrayGetItem, .hash, .mathAdd, .stringSplit: return 2...2
        case .arrayRange, .jsonMerge: return 3...3
        case .mathRandom: return 2...3
        }
    }

    /// "exactly 2 arguments", "2 or 3 arguments", "at least 1 argument"
    var arityDescription: String {
        let range = arity
        func plural(_ n: Int) -> String { n == 1 ? "\(n) argument" : "\(n) arguments" }
        if range.upperBound == Int.max { return "at least \(plural(range.lowerBound))" }
        if range.lowerBound == range.upperBound { return "exactly \(plural(range.lowerBound))" }
        return "\(range.lowerBound) or \(plural(range.upperBound))"
    }
}
