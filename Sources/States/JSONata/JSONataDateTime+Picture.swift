/// XPath picture strings for $fromMillis/$toMillis: `[Y0001]-[M01]-[D01]`,
/// `[FNn], [D1o] [MNn] [Y]`, `[h]:[m01] [P]`, `[Z01:01]`…
extension JSONataDateTime {
    enum Part {
        case literal(String)
        case marker(component: Character, presentation: String, ordinal: Bool, minWidth: Int?, maxWidth: Int?)
    }

    static let components: Set<Character> = ["Y", "M", "D", "d", "F", "W", "w", "X", "x", "H", "h", "P", "m", "s", "f", "Z", "z", "C", "E"]
    static let defaults: [Character: String] = [
        "Y": "1", "M": "1", "D": "1", "d": "1", "F": "n", "W": "1", "w": "1", "X": "1", "x": "1", "H": "1",
        "h": "1", "P": "n", "m": "01", "s": "01", "f": "1", "Z": "01:01", "z": "01:01", "C": "n", "E": "n",
    ]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]
    static let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static func parsePicture(_ picture: String) throws -> [Part] {
        var parts: [Part] = []
        var literal = ""
        let chars = Array(picture)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "[", i + 1 < chars.count, chars[i + 1] == "[" { literal.append("["); i += 2; continue }
            if c == "]", i + 1 < chars.count, chars[i + 1] == "]" { literal.append("]"); i += 2; continue }
            if c != "[" { literal.append(c); i += 1; continue }
            guard let close = chars[i...].firstIndex(of: "]") else { throw JSONataFault("D3135") }
            if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
            let body = chars[(i + 1)..<close].filter { !$0.isWhitespace }
            i = close + 1
            guard let component = body.first else { continue }
            guard components.contains(component) else { throw JSONataFault("D3132", value: .string(String(component))) }
            var modifier = String(body.dropFirst())
            var minWidth: Int? = nil, maxWidth: Int? = nil
            if let comma = modifier.lastIndex(of: ",") {
                let width = modifier[modifier.index(after: comma)...]
                modifier = String(modifier[..<comma])
                let bounds = width.split(separator: "-", omittingEmptySubsequences: false)
                minWidth = bounds.first.flatMap { Int($0) }
                maxWidth = bounds.count > 1 ? Int(bounds[1]) : nil
            }
            var ordinal = false
            if modifier.count > 1, let last = modifier.last, last == "o" || last == "t" || last == "c" {
                ordinal = last == "o"
                if last != "t" || component != "Z" { modifier.removeLast() }
            }
            if modifier.isEmpty { modifier = defaults[component] ?? "1" }
            if modifier.first == "N" || modifier.first == "n",
               !["M", "F", "P", "C", "E", "d"].contains(component) {
                throw JSONataFault("D3133", value: .string(String(component)))
            }
            parts.append(.marker(component: component, presentation: modifier, ordinal: ordinal, minWidth: minWidth, maxWidth: maxWidth))
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    static func format(_ millis: Double, picture: String, offsetMinutes: Int) throws -> String {
        let f = civil(millis, offsetMinutes: offsetMinutes)
        var out = ""
        for part in try parsePicture(picture) {
            switch part {
            case .literal(let text): out += text
            case .marker(let component, let presentation, let ordinal, let minWidth, let maxWidth):
                out += try formatComponent(component, presentation, ordinal, minWidth, maxWidth, f, offsetMinutes)
            }
        }
        return out
    }

    private static func name(_ text: String, _ presentation: String, _ maxWidth: Int?) -> String {
        var value = text
        if let maxWidth, value.count > maxWidth { value = String(value.prefix(maxWidth)) }
        if presentation == "N" { return value.uppercased() }
        if presentation == "n" { return value.lowercased() }
        return value
    }

    private static func formatComponent(_ component: Character, _ presentation: String, _ ordinal: Bool,
                                        _ minWidth: Int?, _ maxWidth: Int?, _ f: Fields, _ offset: Int) throws -> String {
        var value: Int
        switch component {
        case "Y": value = f.year
        case "M":
            if presentation.first == "N" || presentation.first == "n" { return name(months[f.month - 1], presentation, maxWidth) }
            value = f.month
        case "D": value = f.day
        case "d": value = f.dayOfYear
        case "F":
            if presentation.first == "N" || presentation.first == "n" { return name(days[f.weekday - 1], presentation, maxWidth) }
            value = f.weekday
        case "H": value = f.hour
        case "h": value = f.hour % 12 == 0 ? 12 : f.hour % 12
        case "P":
            let text = f.hour < 12 ? "am" : "pm"
            return presentation == "N" ? text.uppercased() : text
        case "m": value = f.minute
        case "s": value = f.second
        case "f":
            let digits = presentation.filter(\.isNumber).count
            let ms = pad(f.millisecond, 3)
            if digits <= 3 { return String(ms.prefix(max(digits, minWidth ?? 1))) }
            return ms + String(repeating: "0", count: digits - 3)
        case "Z", "z":
            if offset == 0, presentation.hasSuffix("t") { return "Z" }
            let sign = offset < 0 ? "-" : "+"
            let hh = abs(offset) / 60, mm = abs(offset) % 60
            let digits = presentation.filter(\.isNumber)
            var text: String
            if presentation.contains(":") {
                text = sign + pad(hh, presentation.split(separator: ":")[0].count) + ":" + pad(mm, 2)
            } else if digits.count >= 3 {
                if digits.count > 4 { throw JSONataFault("D3134") }
                text = sign + pad(hh, digits.count - 2) + pad(mm, 2)
            } else {
                text = sign + pad(hh, digits.count) + (mm != 0 ? ":" + pad(mm, 2) : "")
            }
            return component == "z" ? "GMT" + text : text
        case "W":
            value = isoWeek(f).week
        case "X":
            value = isoWeek(f).year
        case "w":
            value = (f.day + firstWeekdayOffset(f) - 1) / 7 + 1
        case "x":
            value = f.month
        case "C", "E":
            return "ISO"
        default:
            throw JSONataFault("D3132", value: .string(String(component)))
        }
        if component == "Y", presentation.filter(\.isNumber).count == 2 { value %= 100 }
        var text = try JSONataNumberFormat.formatInteger(value, presentation: presentation, ordinal: ordinal)
        if let minWidth, text.count < minWidth, presentation.first?.isNumber == true {
            text = String(repeating: "0", count: minWidth - text.count) + text
        }
        if let maxWidth, component == "Y", text.count > maxWidth { text = String(text.suffix(maxWidth)) }
        return text
    }

    private static func firstWeekdayOffset(_ f: Fields) -> Int {
        // weekday (0 = Monday) of the first of the month
        let first = Int(((daysFromCivil(f.year, f.month, 1) % 7) + 7 + 3) % 7)
        return first
    }

    private static func isoWeek(_ f: Fields) -> (year: Int, week: Int) {
        let weekday = f.weekday   // 1…7, Monday first
        let thursday = daysFromCivil(f.year, f.month, f.day) + Int64(4 - weekday)
        let t = civil(Double(thursday) * 86_400_000, offsetMinutes: 0)
        return (t.year, (t.dayOfYear - 1) / 7 + 1)
    }

    /// `$toMillis(text, picture)`: reads the fields the picture names.
    static func parse(_ text: String, picture: String) throws -> Double? {
        let parts = try parsePicture(picture)
        let chars = Array(text)
        var i = 0
        var f = Fields()
        var offset = 0
        var pm: Bool? = nil
        var sawYear = false, sawMonth = false, sawDay = false, sawDayOfYear = false
        func readNumber(maxDigits: Int) -> Int? {
            var s = ""
            if i < chars.count, chars[i] == "-" || chars[i] == "+" { s.append(chars[i]); i += 1 }
            while i < chars.count, chars[i].isASCII, chars[i].isNumber, s.filter(\.isNumber).count < maxDigits { s.append(chars[i]); i += 1 }
            return Int(s)
        }
        for (index, part) in parts.enumerated() {
            switch part {
            case .literal(let literal):
                for c in literal {
                    guard i < chars.count, chars[i] == c else { return nil }
                    i += 1
                }
            case .marker(let component, let presentation, _, _, _):
                // numbers run until the next literal when fields are adjacent
                var maxDigits = Int.max
                if index + 1 < parts.count, case .marker = parts[index + 1] {
                    maxDigits = max(presentation.filter(\.isNumber).count, 1)
                }
                if presentation.first == "N" || presentation.first == "n" {
                    let names = component == "M" ? months : component == "F" ? days : ["am", "pm"]
                    let rest = String(chars[i...]).lowercased()
                    guard let match = names.enumerated().first(where: { rest.hasPrefix($0.element.lowercased()) })
                            ?? names.enumerated().first(where: { rest.hasPrefix(String($0.element.lowercased().prefix(3))) })
                    else { return nil }
                    let length = rest.hasPrefix(match.element.lowercased()) ? match.element.count : 3
                    i += length
                    if component == "M" { f.month = match.offset + 1; sawMonth = true }
                    if component == "P" { pm = match.offset == 1 }
                    continue
                }
                switch component {
                case "Y": guard let v = readNumber(maxDigits: maxDigits) else { return nil }; f.year = v; sawYear = true
                case "M": guard let v = readNumber(maxDigits: maxDigits) else { return nil }; f.month = v; sawMonth = true
                case "D": guard let v = readNumber(maxDigits: maxDigits) else { return nil }; f.day = v; sawDay = true
                case "d":
                    guard let v = readNumber(maxDigits: maxDigits) else { return nil }
                    f.dayOfYear = v; sawDayOfYear = true
                case "H", "h": guard let v = readNumber(maxDigits: maxDigits) else { return nil }; f.hour = v
                case "m": guard let v = readNumber(maxDigits: maxDigits) else { return nil }; f.minute = v
                case "s": guard let v = readNumber(maxDigits: maxDigits) else { return nil }; f.second = v
                case "f":
                    var s = ""
                    while i < chars.count, chars[i].isASCII, chars[i].isNumber { s.append(chars[i]); i += 1 }
                    f.millisecond = Int((s + "000").prefix(3)) ?? 0
                case "P":
                    let rest = String(chars[i...]).lowercased()
                    if rest.hasPrefix("am") { pm = false } else if rest.hasPrefix("pm") { pm = true } else { return nil }
                    i += 2
                case "Z", "z":
                    if component == "z", String(chars[i...]).hasPrefix("GMT") { i += 3 }
                    if i < chars.count, chars[i] == "Z" { i += 1; offset = 0; continue }
                    var s = ""
                    while i < chars.count, "+-0123456789:".contains(chars[i]) { s.append(chars[i]); i += 1 }
                    offset = try offsetMinutes(s)
                case "F", "W", "w", "X", "x", "E", "C":
                    _ = readNumber(maxDigits: maxDigits)
                default: return nil
                }
            }
        }
        if let pm {
            if pm, f.hour < 12 { f.hour += 12 }
            if !pm, f.hour == 12 { f.hour = 0 }
        }
        if !sawYear, !sawMonth, !sawDay, !sawDayOfYear, parts.isEmpty { throw JSONataFault("D3136") }
        if sawDayOfYear {
            let start = daysFromCivil(f.year, 1, 1) + Int64(f.dayOfYear - 1)
            let d = civil(Double(start) * 86_400_000, offsetMinutes: 0)
            f.month = d.month
            f.day = d.day
        }
        return millis(f, offsetMinutes: offset)
    }
}
