/// Decodes `application/x-www-form-urlencoded` text (`a=1&b=x%20y`) into ordered
/// pairs. `+` means space. A bad escape or invalid UTF-8 is an error rather than a
/// guess, so a client's mistake never silently changes a message body.
public enum FormDecoding {
    public struct Failure: Error, Sendable { public var reason: String }

    public static func decode<Bytes: Collection>(_ bytes: Bytes) throws -> [(name: String, value: String)]
    where Bytes.Element == UInt8 {
        var pairs: [(name: String, value: String)] = []
        var name: [UInt8] = []
        var value: [UInt8] = []
        var inValue = false
        var iterator = bytes.makeIterator()
        func flush() throws {
            if !name.isEmpty || inValue {
                pairs.append((name: try utf8(name), value: try utf8(value)))
            }
            name.removeAll(keepingCapacity: true)
            value.removeAll(keepingCapacity: true)
            inValue = false
        }
        while let b = iterator.next() {
            switch b {
            case UInt8(ascii: "&"):
                try flush()
            case UInt8(ascii: "=") where !inValue:
                inValue = true
            default:
                var decoded = b
                if b == UInt8(ascii: "+") {
                    decoded = 0x20
                } else if b == UInt8(ascii: "%") {
                    guard let h = iterator.next(), let l = iterator.next(), let hv = hexValue(h), let lv = hexValue(l) else {
                        throw Failure(reason: "Invalid percent-encoding")
                    }
                    decoded = hv << 4 | lv
                }
                if inValue { value.append(decoded) } else { name.append(decoded) }
            }
        }
        try flush()
        return pairs
    }

    public static func decode(_ text: String) throws -> [(name: String, value: String)] {
        try decode(Array(text.utf8))
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func utf8(_ bytes: [UInt8]) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else { throw Failure(reason: "Invalid UTF-8") }
        return s
    }

    /// Percent-decodes one path segment (no `+` rule).
    public static func decodePathSegment(_ segment: Substring) -> String? {
        var out: [UInt8] = []
        var it = segment.utf8.makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "%") {
                guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else { return nil }
                out.append(hv << 4 | lv)
            } else {
                out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}
