/// One entry of a key's list in a filter policy, compiled: a literal to equal, or
/// a match expression such as `{"prefix": "bas"}`.
enum FilterPolicyMatcher: Sendable {
    /// A string literal. One that spells an IP address also equals other spellings
    /// of that address, as AWS stores such literals as addresses.
    case exactString(String, address: FilterPolicyIPAddress?)
    /// A number literal: equal as written, or numerically where both are in range.
    case exactNumber(String, FilterPolicyNumber?)
    case exactBool(Bool)
    case exactNull
    case prefix(String)
    case suffix(String)
    /// Holds the literal lowercased, so matching lowercases only the message value.
    case equalsIgnoreCase(String)
    case anythingBut(FilterPolicyAnythingBut)
    case numeric(FilterPolicyNumericRange)
    case cidr(FilterPolicyIPRange)
    /// Decided per key rather than per value; see `FilterPolicyKey`.
    case exists(Bool)

    func matches(_ value: FilterPolicyValue) -> Bool {
        switch (self, value) {
        case (.exactString(let literal, let address), .string(let s)):
            if s.utf8.elementsEqual(literal.utf8) { return true }
            guard let address else { return false }
            return FilterPolicyIPAddress(s) == address
        case (.exactNumber(let literal, let number), .number(let n)):
            if n == literal { return true }
            guard let number else { return false }
            return FilterPolicyNumber(text: n) == number
        case (.exactBool(let literal), .bool(let b)):
            return literal == b
        case (.exactNull, .null):
            return true
        case (.prefix(let prefix), .string(let s)):
            return s.utf8.starts(with: prefix.utf8)
        case (.suffix(let suffix), .string(let s)):
            return s.utf8.count >= suffix.utf8.count && s.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
        case (.equalsIgnoreCase(let lowered), .string(let s)):
            return s.lowercased() == lowered
        case (.anythingBut(let excluded), _):
            return !excluded.contains(value)
        case (.numeric(let range), .number(let n)):
            guard let number = FilterPolicyNumber(text: n) else { return false }
            return range.contains(number)
        case (.cidr(let range), .string(let s)):
            guard let address = FilterPolicyIPAddress(s) else { return false }
            return range.contains(address)
        default:
            return false
        }
    }
}

/// What an `anything-but` excludes. Any value present that is not excluded
/// matches, whatever its type: `{"anything-but": "red"}` matches the number 5.
enum FilterPolicyAnythingBut: Sendable {
    case strings(Set<String>)
    case numbers(Set<FilterPolicyNumber>)
    case prefix(String)

    func contains(_ value: FilterPolicyValue) -> Bool {
        switch (self, value) {
        case (.strings(let excluded), .string(let s)):
            return excluded.contains(s)
        case (.numbers(let excluded), .number(let n)):
            guard let number = FilterPolicyNumber(text: n) else { return false }
            return excluded.contains(number)
        case (.prefix(let prefix), .string(let s)):
            return s.utf8.starts(with: prefix.utf8)
        default:
            return false
        }
    }
}

/// A `numeric` expression: `["=", 5]`, one bound, or a lower and an upper bound.
struct FilterPolicyNumericRange: Sendable, Equatable {
    struct Bound: Sendable, Equatable {
        var number: FilterPolicyNumber
        var inclusive: Bool
    }
    var lower: Bound?
    var upper: Bound?

    func contains(_ number: FilterPolicyNumber) -> Bool {
        if let lower {
            if lower.inclusive ? number < lower.number : number <= lower.number { return false }
        }
        if let upper {
            if upper.inclusive ? number > upper.number : number >= upper.number { return false }
        }
        return true
    }
}
