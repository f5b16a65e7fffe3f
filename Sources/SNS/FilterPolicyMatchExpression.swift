import JSON

/// Compiling one entry of a key's list, checked the way AWS's rule compiler checks
/// it: the first field of a match expression names the operator and is validated
/// before any second field is reported.
extension FilterPolicyMatcher {
    static func compile(_ entry: JSONValue) throws -> FilterPolicyMatcher {
        switch entry {
        case .string(let s): return .exactString(s, address: FilterPolicyIPAddress(s))
        // A number beyond AWS's numeric range still matches as written.
        case .number(let n): return .exactNumber(n, FilterPolicyNumber(text: n))
        case .bool(let b): return .exactBool(b)
        case .null: return .exactNull
        case .array: throw FilterPolicyError.matchValueType
        case .object(let expression): return try compile(expression: expression)
        }
    }

    private static func compile(expression: JSONObject) throws -> FilterPolicyMatcher {
        guard let first = expression.members.first else { throw FilterPolicyError.matchExpressionNameMissing }
        let hasMoreKeys = expression.count > 1
        let matcher: FilterPolicyMatcher
        switch first.key {
        case "prefix", "suffix", "equals-ignore-case":
            guard case .string(let pattern) = first.value else { throw FilterPolicyError.patternMustBeString(first.key) }
            matcher = first.key == "prefix" ? .prefix(pattern)
                : first.key == "suffix" ? .suffix(pattern) : .equalsIgnoreCase(pattern.lowercased())
        case "exists":
            guard case .bool(let exists) = first.value else { throw FilterPolicyError.existsMustBeBoolean }
            matcher = .exists(exists)
        case "cidr":
            // AWS words a non-string CIDR as if it were a prefix.
            guard case .string(let cidr) = first.value else { throw FilterPolicyError.patternMustBeString("prefix") }
            matcher = .cidr(try FilterPolicyIPRange(cidr: cidr))
        case "numeric":
            guard case .array(let terms) = first.value else { throw FilterPolicyError.numericMustBeArray }
            matcher = .numeric(try FilterPolicyNumericRange(terms: terms))
            if hasMoreKeys { throw FilterPolicyError.tooManyNumericElements }
        case "anything-but":
            if case .object(let nested) = first.value {
                matcher = .anythingBut(try anythingButPrefix(nested))
            } else {
                matcher = .anythingBut(try anythingBut(first.value))
                if hasMoreKeys { throw FilterPolicyError.tooManyNumericElements }
            }
        default:
            throw FilterPolicyError.unrecognizedMatchType(first.key)
        }
        if hasMoreKeys { throw FilterPolicyError.onlyOneKey }
        return matcher
    }

    /// `{"anything-but": {"prefix": "order-"}}`, the only nested form SNS accepts.
    private static func anythingButPrefix(_ nested: JSONObject) throws -> FilterPolicyAnythingBut {
        guard let inner = nested.members.first else { throw FilterPolicyError.anythingButNameMissing }
        guard inner.key == "prefix" else { throw FilterPolicyError.unsupportedAnythingBut(inner.key) }
        guard case .string(let prefix) = inner.value else { throw FilterPolicyError.patternMustBeString("prefix") }
        if prefix.isEmpty { throw FilterPolicyError.emptyAnythingButPrefix }
        if nested.count > 1 { throw FilterPolicyError.onlyOneKey }
        return .prefix(prefix)
    }

    /// A single string or number, or a list of strings or of numbers (not both).
    private static func anythingBut(_ value: JSONValue) throws -> FilterPolicyAnythingBut {
        switch value {
        case .string(let s):
            return .strings([s])
        case .number(let n):
            return .numbers([try FilterPolicyNumber.inRange(n)])
        case .array(let elements):
            var strings: Set<String> = []
            var numbers: Set<FilterPolicyNumber> = []
            for element in elements {
                switch element {
                case .string(let s): strings.insert(s)
                case .number(let n): numbers.insert(try FilterPolicyNumber.inRange(n))
                default: throw FilterPolicyError.anythingButListMemberType
                }
            }
            if strings.isEmpty == numbers.isEmpty { throw FilterPolicyError.anythingButListMixedTypes }
            return strings.isEmpty ? .numbers(numbers) : .strings(strings)
        default:
            throw FilterPolicyError.anythingButValueType
        }
    }
}

extension FilterPolicyNumber {
    /// A number the policy compares numerically, which must lie in AWS's range.
    static func inRange(_ text: String) throws -> FilterPolicyNumber {
        guard let number = FilterPolicyNumber(text: text) else { throw FilterPolicyError.numberOutOfRange }
        return number
    }
}

extension FilterPolicyNumericRange {
    /// `["=", n]`, `[op, n]` for one bound, or `[">" or ">=", low, "<" or "<=", high]`.
    init(terms: [JSONValue]) throws {
        guard let first = terms.first else { throw FilterPolicyError.invalidNumericMember("]") }
        guard case .string(let op) = first else { throw FilterPolicyError.invalidNumericMember(Self.spelling(first)) }
        guard ["=", ">", ">=", "<", "<="].contains(op) else { throw FilterPolicyError.unrecognizedNumericOperator(op) }
        guard terms.count > 1, case .number(let text) = terms[1] else { throw FilterPolicyError.valueMustBeNumeric(op) }
        let number = try FilterPolicyNumber.inRange(text)
        switch op {
        case "=":
            if terms.count > 2 { throw FilterPolicyError.tooManyNumericElements }
            self.init(lower: Bound(number: number, inclusive: true), upper: Bound(number: number, inclusive: true))
        case "<", "<=":
            if terms.count > 2 { throw FilterPolicyError.tooManyNumericElements }
            self.init(lower: nil, upper: Bound(number: number, inclusive: op == "<="))
        default:
            let lower = Bound(number: number, inclusive: op == ">=")
            guard terms.count > 2 else {
                self.init(lower: lower, upper: nil)
                return
            }
            guard case .string(let topOp) = terms[2] else { throw FilterPolicyError.badNumericRangeValue(Self.spelling(terms[2])) }
            guard topOp == "<" || topOp == "<=" else { throw FilterPolicyError.badNumericRangeOperator(topOp) }
            guard terms.count > 3, case .number(let topText) = terms[3] else { throw FilterPolicyError.valueMustBeNumeric(topOp) }
            if terms.count > 4 { throw FilterPolicyError.tooManyNumericRangeTerms }
            if let bottom = Double(text), let top = Double(topText), bottom >= top {
                throw FilterPolicyError.bottomNotBelowTop
            }
            let upper = Bound(number: try FilterPolicyNumber.inRange(topText), inclusive: topOp == "<=")
            self.init(lower: lower, upper: upper)
        }
    }

    /// How AWS's parser prints a term it did not expect.
    private static func spelling(_ term: JSONValue) -> String {
        switch term {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array: return "["
        case .object: return "{"
        }
    }
}

extension FilterPolicyIPRange {
    /// `address/bits`, checked in AWS's order: one slash, an integer mask that is
    /// not negative, a literal address, then the mask's upper limit for its family.
    init(cidr: String) throws {
        var parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        // Java's split, which AWS uses, drops trailing empty parts.
        while parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
        guard parts.count == 2 else { throw FilterPolicyError.cidrNeedsOneSlash }
        guard let maskBits = Int32(parts[1]) else { throw FilterPolicyError.cidrMaskNotInteger }
        if maskBits < 0 { throw FilterPolicyError.cidrMaskNegative }
        guard let address = FilterPolicyIPAddress(String(parts[0])) else {
            throw FilterPolicyError.nonstandardIPAddress(String(parts[0]))
        }
        if address.bytes.count == 4, maskBits > 31 { throw FilterPolicyError.ipv4MaskTooLong }
        if address.bytes.count == 16, maskBits > 127 { throw FilterPolicyError.ipv6MaskTooLong }
        self.init(address: address, maskBits: Int(maskBits))
    }
}
