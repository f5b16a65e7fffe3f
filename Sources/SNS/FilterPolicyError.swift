/// Why a filter policy was refused, in AWS's words. AWS reports these as
/// `InvalidParameter` with "Invalid parameter: FilterPolicy: " before `message`
/// (Subscribe puts "Attributes Reason: " after "Invalid parameter: ").
///
/// Most texts come from AWS's rule compiler and were recorded against AWS; AWS
/// also appends the JSON position (`\n at [Source: …; line: 1, column: 10]`),
/// which is left out here.
public struct FilterPolicyError: Error, Sendable, Equatable {
    public var message: String
    /// False for the one error AWS words without the "FilterPolicy: " label
    /// ("Invalid parameter: Filter policy scope MessageAttributes does not support
    /// nested filter policy").
    public var isLabelled: Bool = true

    /// The full text after "Invalid parameter: ", label included when AWS includes it.
    public var reason: String { isLabelled ? "FilterPolicy: \(message)" : message }

    init(_ message: String, isLabelled: Bool = true) {
        self.message = message
        self.isLabelled = isLabelled
    }
}

extension FilterPolicyError {
    // The document as a whole.
    static let unparsableJSON = FilterPolicyError("failed to parse JSON.")
    static let notAnObject = FilterPolicyError("Filter is not an object")
    static let tooManyKeys = FilterPolicyError("Filter policy can not have more than 5 keys")
    static let tooComplex = FilterPolicyError("Filter policy is too complex")
    static let nestedAttributes = FilterPolicyError(
        "Filter policy scope MessageAttributes does not support nested filter policy", isLabelled: false)

    // Keys and their lists.
    static func mustBeObjectOrArray(_ key: String) -> FilterPolicyError {
        FilterPolicyError("\"\(key)\" must be an object or an array")
    }
    static let emptyObject = FilterPolicyError("Empty objects are not allowed")
    static let emptyArray = FilterPolicyError("Empty arrays are not allowed")
    static let matchValueType = FilterPolicyError("Match value must be String, number, true, false, or null")

    // Match expressions.
    static let matchExpressionNameMissing = FilterPolicyError("Match expression name not found")
    static let onlyOneKey = FilterPolicyError("Only one key allowed in match expression")
    static func unrecognizedMatchType(_ name: String) -> FilterPolicyError {
        FilterPolicyError("Unrecognized match type \(name)")
    }
    static func patternMustBeString(_ operatorName: String) -> FilterPolicyError {
        FilterPolicyError("\(operatorName) match pattern must be a string")
    }
    static let existsMustBeBoolean = FilterPolicyError("exists match pattern must be either true or false.")

    // anything-but.
    static let anythingButNameMissing = FilterPolicyError("Anything-But expression name not found")
    static func unsupportedAnythingBut(_ name: String) -> FilterPolicyError {
        FilterPolicyError("Unsupported anything-but pattern: \(name)")
    }
    static let emptyAnythingButPrefix = FilterPolicyError("Null prefix not allowed")
    static let anythingButValueType = FilterPolicyError(
        "Value of anything-but must be an array or single string/number value.")
    static let anythingButListMemberType = FilterPolicyError(
        "Inside anything but list, start|null|boolean is not supported.")
    static let anythingButListMixedTypes = FilterPolicyError(
        "Inside anything but list, either all values are number or string, mixed type is not supported")

    // numeric.
    static let numericMustBeArray = FilterPolicyError("Value of numeric must be an array.")
    static func invalidNumericMember(_ text: String) -> FilterPolicyError {
        FilterPolicyError("Invalid member in numeric match: \(text)")
    }
    static func unrecognizedNumericOperator(_ op: String) -> FilterPolicyError {
        FilterPolicyError("Unrecognized numeric range operator: \(op)")
    }
    /// AWS names `=` "equals" here and every other operator by its symbol.
    static func valueMustBeNumeric(_ op: String) -> FilterPolicyError {
        FilterPolicyError("Value of \(op == "=" ? "equals" : op) must be numeric")
    }
    static let tooManyNumericElements = FilterPolicyError("Too many elements in numeric expression")
    static func badNumericRangeValue(_ text: String) -> FilterPolicyError {
        FilterPolicyError("Bad value in numeric range: \(text)")
    }
    static func badNumericRangeOperator(_ op: String) -> FilterPolicyError {
        FilterPolicyError("Bad numeric range operator: \(op)")
    }
    static let tooManyNumericRangeTerms = FilterPolicyError("Too many terms in numeric range expression")
    static let bottomNotBelowTop = FilterPolicyError("Bottom must be less than top")
    static let numberOutOfRange = FilterPolicyError("Value must be between -1.0E9 and 1.0E9, inclusive")

    // cidr.
    static let cidrNeedsOneSlash = FilterPolicyError("Malformed CIDR, one '/' required")
    static let cidrMaskNotInteger = FilterPolicyError("Malformed CIDR, mask bits must be an integer")
    static let cidrMaskNegative = FilterPolicyError("Malformed CIDR, mask bits must not be negative")
    static func nonstandardIPAddress(_ text: String) -> FilterPolicyError {
        FilterPolicyError("Nonstandard IP address: \(text)")
    }
    static let ipv4MaskTooLong = FilterPolicyError("IPv4 mask bits must be < 32")
    static let ipv6MaskTooLong = FilterPolicyError("IPv6 mask bits must be < 128")
}
