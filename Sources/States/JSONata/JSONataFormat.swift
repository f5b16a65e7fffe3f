import Foundation

/// Number and JSON text as JavaScript writes them, which is what JSONata users see.
enum JSONataFormat {
    static func parseNumber(_ text: String) -> Double? {
        if let i = Int(text) { return Double(i) }
        return Double(text)
    }

    /// `Number.prototype.toString()`: shortest round-trip digits; plain notation
    /// between 1e-7 and 1e21, exponent notation (`1e+21`, `1.5e-7`) outside.
    static func number(_ d: Double) -> String {
        if d == 0 { return "0" }
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d.rounded(.towardZero) == d, abs(d) < 1e15 { return String(Int64(d)) }
        // between 1e-4 and 1e15 Swift's shortest round-trip text is already JavaScript's
        if abs(d) >= 1e-4, abs(d) < 1e15 { return d.description }
        let (negative, digits, exponent) = decompose(d)
        return (negative ? "-" : "") + layout(digits: digits, pointAt: exponent)
    }

    /// The number rounded to 15 significant digits first, as `$string` and `&` do.
    static func number15(_ d: Double) -> String {
        if d.rounded(.towardZero) == d, abs(d) < 1e15 { return number(d) }
        guard d.isFinite else { return number(d) }
        let rounded = Double(String(format: "%.14e", d)) ?? d
        return number(rounded)
    }

    /// Shortest digits of `d` and the position of the decimal point (value = 0.digits × 10^pointAt).
    private static func decompose(_ d: Double) -> (Bool, [UInt8], Int) {
        var text = Array(abs(d).description.utf8)   // "123.45", "1.2345e-07", "1e+21"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
            text = Array(text[..<e])
        }
        var digits: [UInt8] = []
        var pointAt = 0
        var seenPoint = false
        for c in text {
            if c == UInt8(ascii: ".") { seenPoint = true; continue }
            digits.append(c)
            if !seenPoint { pointAt += 1 }
        }
        // strip leading zeros (0.00123) and trailing zeros (1.0)
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst(); pointAt -= 1 }
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (d < 0, digits, pointAt + exponent)
    }

    private static func layout(digits: [UInt8], pointAt n: Int) -> String {
        let k = digits.count
        let s = String(decoding: digits, as: UTF8.self)
        if k <= n && n <= 21 { return s + String(repeating: "0", count: n - k) }
        if 0 < n && n <= 21 {
            return String(decoding: digits[..<n], as: UTF8.self) + "." + String(decoding: digits[n...], as: UTF8.self)
        }
        if -6 < n && n <= 0 { return "0." + String(repeating: "0", count: -n) + s }
        let e = n - 1
        let mantissa = k == 1 ? s : String(decoding: digits[..<1], as: UTF8.self) + "." + String(decoding: digits[1...], as: UTF8.self)
        return mantissa + "e" + (e < 0 ? "-" : "+") + String(abs(e))
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `JSON.stringify` as JSONata's `$string` calls it: functions become `""`,
    /// numbers are rounded to 15 significant digits; `indent` pretty-prints.
    static func json(_ value: JValue, indent: Bool = false, precision15: Bool = false) -> String {
        var out = ""
        write(value, to: &out, indent: indent ? "" : nil, precision15: precision15)
        return out
    }

    private static func write(_ value: JValue, to out: inout String, indent: String?, precision15: Bool) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d): out += d.isFinite ? (precision15 ? number15(d) : number(d)) : "null"
        case .string(let s): out += quoted(s)
        case .function: out += "\"\""
        case .array(let a):
            if a.items.isEmpty { out += "[]"; return }
            out += "["
            let inner = indent.map { $0 + "  " }
            for (i, item) in a.items.enumerated() {
                if i > 0 { out += "," }
                if let inner { out += "\n" + inner }
                write(item, to: &out, indent: inner, precision15: precision15)
            }
            if let indent { out += "\n" + indent }
            out += "]"
        case .object(let o):
            if o.count == 0 { out += "{}"; return }
            out += "{"
            let inner = indent.map { $0 + "  " }
            for i in o.keys.indices {
                if i > 0 { out += "," }
                if let inner { out += "\n" + inner }
                out += quoted(o.keys[i])
                out += inner == nil ? ":" : ": "
                write(o.values[i], to: &out, indent: inner, precision15: precision15)
            }
            if let indent { out += "\n" + indent }
            out += "}"
        }
    }
}
