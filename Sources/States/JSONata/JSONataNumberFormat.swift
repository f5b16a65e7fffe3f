import Foundation

/// $formatInteger / $parseInteger / $formatNumber: XPath picture strings for
/// digits, words, roman numerals and letters.
enum JSONataNumberFormat {
    static let few = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                      "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    static let ordinals = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                           "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
                           "seventeenth", "eighteenth", "nineteenth"]
    static let decades = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    static let ordinalDecades = ["twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"]
    static let magnitudes = ["thousand", "million", "billion", "trillion"]

    static func words(_ n: Int, ordinal: Bool) -> String {
        func lookup(_ num: Int, _ prev: Bool, _ ord: Bool) -> String {
            if num <= 19 { return (prev ? " and " : "") + (ord ? ordinals[num] : few[num]) }
            if num < 100 {
                let tens = num / 10, remainder = num % 10
                var words = (prev ? " and " : "") + (ord && remainder == 0 ? ordinalDecades[tens - 2] : decades[tens - 2])
                if remainder > 0 { words += "-" + lookup(remainder, false, ord) }
                return words
            }
            if num < 1000 {
                let hundreds = num / 100, remainder = num % 100
                var words = (prev ? ", " : "") + few[hundreds] + " hundred"
                if remainder == 0, ord { words += "th" } else if remainder > 0 { words += lookup(remainder, true, ord) }
                return words
            }
            var mag = 0, factor = 1000
            while factor <= num / 1000, mag < magnitudes.count - 1 { factor *= 1000; mag += 1 }
            let remainder = num % factor
            var words = (prev ? ", " : "") + lookup(num / factor, false, false) + " " + magnitudes[mag]
            if remainder == 0, ord { words += "th" } else if remainder > 0 { words += lookup(remainder, true, ord) }
            return words
        }
        return (n < 0 ? "minus " : "") + lookup(abs(n), false, ordinal)
    }

    static func roman(_ n: Int) -> String {
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                      (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var value = n
        var out = ""
        for (v, s) in table { while value >= v { out += s; value -= v } }
        return out
    }

    static func letters(_ n: Int, base: Character) -> String {
        var value = n
        var out = ""
        let start = base.asciiValue!
        while value > 0 {
            value -= 1
            out = String(UnicodeScalar(start + UInt8(value % 26))) + out
            value /= 26
        }
        return out
    }

    static func ordinalSuffix(_ n: Int) -> String {
        let last = abs(n) % 10, lastTwo = abs(n) % 100
        if (11...13).contains(lastTwo) { return "th" }
        return last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th"
    }

    static func formatInteger(_ value: Int, presentation: String, ordinal: Bool) throws -> String {
        switch presentation {
        case "A": return letters(value, base: "A")
        case "a": return letters(value, base: "a")
        case "I": return roman(value)
        case "i": return roman(value).lowercased()
        case "W": return words(value, ordinal: ordinal).uppercased()
        case "w": return words(value, ordinal: ordinal)
        case "Ww":
            return words(value, ordinal: ordinal).split(separator: " ", omittingEmptySubsequences: false).map { word in
                word == "and" ? "and" : word.split(separator: "-", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
            }.joined(separator: " ")
        default:
            return try digits(value, pattern: presentation) + (ordinal ? ordinalSuffix(value) : "")
        }
    }

    /// A decimal-digit pattern such as `0001`, `#,##0` or `1`: mandatory digits pad, separators group.
    static func digits(_ value: Int, pattern: String) throws -> String {
        let chars = Array(pattern)
        let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
        guard chars.contains(where: { isDigit($0) || $0 == "#" }) else {
            throw JSONataFault("D3130", value: .string(pattern))
        }
        let mandatory = chars.filter(isDigit).count
        // separator positions counted from the right
        var separators: [(position: Int, char: Character)] = []
        var digitCount = 0
        for c in chars.reversed() {
            if isDigit(c) || c == "#" { digitCount += 1 } else { separators.append((digitCount, c)) }
        }
        var text = String(abs(value))
        if text.count < mandatory { text = String(repeating: "0", count: mandatory - text.count) + text }
        if !separators.isEmpty {
            // regular grouping repeats when every separator is the same and evenly spaced
            let first = separators[0].position
            let regular = first > 0 && separators.allSatisfy { $0.char == separators[0].char && $0.position % first == 0 }
                && separators.enumerated().allSatisfy { $0.element.position == first * ($0.offset + 1) }
            var out: [Character] = []
            for (i, c) in text.reversed().enumerated() {
                if i > 0 {
                    if regular, i % first == 0 { out.append(separators[0].char) } else if !regular, let s = separators.first(where: { $0.position == i }) { out.append(s.char) }
                }
                out.append(c)
            }
            text = String(out.reversed())
        }
        return (value < 0 ? "-" : "") + text
    }

    static func parseInteger(_ text: String, picture: String) throws -> Double? {
        switch picture {
        case "A", "a":
            var n = 0
            for c in text.uppercased() {
                guard let v = c.asciiValue, (65...90).contains(v) else { return nil }
                n = n * 26 + Int(v) - 64
            }
            return Double(n)
        case "I", "i":
            let values: [Character: Int] = ["I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000]
            let digits = text.uppercased().compactMap { values[$0] }
            var n = 0
            for (i, d) in digits.enumerated() { n += (i + 1 < digits.count && digits[i + 1] > d) ? -d : d }
            return Double(n)
        case "W", "w", "Ww":
            return wordsValue(text.lowercased())
        default:
            let digits = text.filter { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let n = Double(digits) else { return nil }
            return text.hasPrefix("-") ? -n : n
        }
    }

    private static func wordsValue(_ text: String) -> Double? {
        var total = 0.0, current = 0.0
        let tokens = text.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: ",", with: " ")
            .split(separator: " ").map(String.init)
        for token in tokens where token != "and" {
            if let i = few.firstIndex(of: token) ?? ordinals.firstIndex(of: token) { current += Double(i) }
            else if let i = decades.firstIndex(of: token) ?? ordinalDecades.firstIndex(of: token) { current += Double((i + 2) * 10) }
            else if token == "hundred" || token == "hundredth" { current *= 100 }
            else if let i = magnitudes.firstIndex(where: { token == $0 || token == $0 + "th" }) {
                total += current * pow(1000, Double(i + 1))
                current = 0
            } else { return nil }
        }
        return total + current
    }
}

/// `$formatNumber(value, picture, options)`: XPath `format-number` with JSONata's defaults.
extension JSONataNumberFormat {
    struct Symbols {
        var decimal: Character = ".", grouping: Character = ",", exponent: Character = "e", percent: Character = "%"
        var perMille: Character = "\u{2030}", zero: Character = "0", digit: Character = "#", pattern: Character = ";"
        var minus = "-", infinity = "Infinity", nan = "NaN"

        init(_ options: JObject?) {
            guard let options else { return }
            func char(_ key: String) -> Character? { if case .string(let s)? = options[key], let c = s.first { return c }; return nil }
            decimal = char("decimal-separator") ?? decimal
            grouping = char("grouping-separator") ?? grouping
            exponent = char("exponent-separator") ?? exponent
            percent = char("percent") ?? percent
            perMille = char("per-mille") ?? perMille
            zero = char("zero-digit") ?? zero
            digit = char("digit") ?? digit
            pattern = char("pattern-separator") ?? pattern
            if case .string(let s)? = options["minus-sign"] { minus = s }
            if case .string(let s)? = options["infinity"] { infinity = s }
            if case .string(let s)? = options["NaN"] { nan = s }
        }
    }

    static func formatNumber(_ value: Double, picture: String, options: JObject?) throws -> String {
        let symbols = Symbols(options)
        let subPictures = picture.split(separator: symbols.pattern, omittingEmptySubsequences: false).map(String.init)
        if subPictures.count > 2 { throw JSONataFault("D3080") }
        if value.isNaN { return symbols.nan }
        let zeroValue = symbols.zero.unicodeScalars.first!.value
        func isDigit(_ c: Character) -> Bool {
            guard let v = c.unicodeScalars.first?.value, c.unicodeScalars.count == 1 else { return false }
            return v >= zeroValue && v < zeroValue + 10
        }
        func isActive(_ c: Character) -> Bool {
            isDigit(c) || c == symbols.digit || c == symbols.decimal || c == symbols.grouping || c == symbols.exponent
        }
        let chosen = value < 0 && subPictures.count == 2 ? subPictures[1] : subPictures[0]
        let chars = Array(chosen)
        // prefix and suffix are the passive characters around the mantissa
        guard let first = chars.firstIndex(where: { isActive($0) && $0 != symbols.exponent }),
              let last = chars.lastIndex(where: isActive) else { throw JSONataFault("D3085") }
        let prefix = String(chars[..<first]), suffix = String(chars[(last + 1)...])
        var body = Array(chars[first...last])
        var exponentDigits = 0
        if let e = body.firstIndex(of: symbols.exponent), e > 0, body[(e + 1)...].allSatisfy(isDigit), e + 1 < body.count {
            exponentDigits = body.count - e - 1
            body = Array(body[..<e])
        }
        if body.filter({ $0 == symbols.decimal }).count > 1 { throw JSONataFault("D3081") }
        let decimalIndex = body.firstIndex(of: symbols.decimal)
        let integerPart = decimalIndex.map { Array(body[..<$0]) } ?? body
        let fractionPart = decimalIndex.map { Array(body[($0 + 1)...]) } ?? []
        var minInteger = integerPart.filter(isDigit).count
        let minFraction = fractionPart.filter(isDigit).count
        let maxFraction = fractionPart.filter { isDigit($0) || $0 == symbols.digit }.count
        if !integerPart.contains(where: { isDigit($0) || $0 == symbols.digit }) && maxFraction == 0 { throw JSONataFault("D3085") }
        if minInteger == 0 && maxFraction == 0 { minInteger = 1 }
        // grouping positions, counted from the decimal point leftwards
        var groupings: [Int] = []
        var count = 0
        for c in integerPart.reversed() {
            if c == symbols.grouping { groupings.append(count) } else { count += 1 }
        }
        var fractionGroupings: [Int] = []
        count = 0
        for c in fractionPart {
            if c == symbols.grouping { fractionGroupings.append(count) } else { count += 1 }
        }
        var number = abs(value)
        if chosen.contains(symbols.percent) { number *= 100 } else if chosen.contains(symbols.perMille) { number *= 1000 }
        if number.isInfinite { return (value < 0 && subPictures.count < 2 ? symbols.minus : "") + prefix + symbols.infinity + suffix }
        var exponent = 0
        if exponentDigits > 0, number != 0 {
            let integerDigits = max(minInteger, 1)
            while number >= pow(10, Double(integerDigits)) { number /= 10; exponent += 1 }
            while number < pow(10, Double(integerDigits - 1)) { number *= 10; exponent -= 1 }
        }
        let rounded = JSONataLibrary.round(number, precision: maxFraction)
        var text = JSONataFormat.number(rounded)
        if text.contains("e") { text = String(format: "%.\(maxFraction)f", rounded) }
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        var integerDigits = Array(String(pieces[0]))
        var fractionDigits = pieces.count > 1 ? Array(String(pieces[1])) : []
        if integerDigits == ["0"] && minInteger == 0 { integerDigits = [] }
        while integerDigits.count < minInteger { integerDigits.insert("0", at: 0) }
        while fractionDigits.count < minFraction { fractionDigits.append("0") }
        while fractionDigits.count > minFraction, fractionDigits.last == "0" { fractionDigits.removeLast() }
        // digits in the picture's zero-digit family
        func mapDigits(_ ds: [Character]) -> [Character] {
            ds.map { d in Character(Unicode.Scalar(zeroValue + UInt32(d.wholeNumberValue ?? 0))!) }
        }
        integerDigits = mapDigits(integerDigits)
        fractionDigits = mapDigits(fractionDigits)
        if !groupings.isEmpty {
            let firstGroup = groupings[0]
            let regular = firstGroup > 0 && groupings.enumerated().allSatisfy { $0.element == firstGroup * ($0.offset + 1) }
            var out: [Character] = []
            for (i, c) in integerDigits.reversed().enumerated() {
                if i > 0, regular ? i % firstGroup == 0 : groupings.contains(i) { out.append(symbols.grouping) }
                out.append(c)
            }
            integerDigits = out.reversed()
        }
        if !fractionGroupings.isEmpty {
            var out: [Character] = []
            for (i, c) in fractionDigits.enumerated() {
                if i > 0, fractionGroupings.contains(i) { out.append(symbols.grouping) }
                out.append(c)
            }
            fractionDigits = out
        }
        var result = String(integerDigits)
        if !fractionDigits.isEmpty { result += String(symbols.decimal) + String(fractionDigits) }
        if exponentDigits > 0 {
            let e = String(abs(exponent))
            result += String(symbols.exponent) + (exponent < 0 ? symbols.minus : "")
                + String(mapDigits(Array(String(repeating: "0", count: max(0, exponentDigits - e.count)) + e)))
        }
        let negative = value < 0 && rounded != 0
        if negative && subPictures.count < 2 { return symbols.minus + prefix + result + suffix }
        return prefix + result + suffix
    }
}

extension JSONataLibrary {
    static let formatting: [JSONataBuiltin] = [
        JSONataBuiltin("formatNumber", "<n-so?:s>") { _, args in
            guard let value = number(args[0]), let picture = string(args[1]) else { return nil }
            var options: JObject? = nil
            if args.count > 2, case .object(let o)? = args[2] { options = o }
            return .string(try JSONataNumberFormat.formatNumber(value, picture: picture, options: options))
        },
        JSONataBuiltin("formatInteger", "<n-s:s>") { _, args in
            guard let value = number(args[0]), let picture = string(args[1]) else { return nil }
            var presentation = picture
            var ordinal = false
            if let semicolon = picture.lastIndex(of: ";") {
                ordinal = picture[picture.index(after: semicolon)...].hasPrefix("o")
                presentation = String(picture[..<semicolon])
            }
            let integer = Int(value.rounded(.towardZero))
            return .string(try JSONataNumberFormat.formatInteger(integer, presentation: presentation, ordinal: ordinal))
        },
        JSONataBuiltin("parseInteger", "<s-s:n>") { _, args in
            guard let text = string(args[0]), let picture = string(args[1]) else { return nil }
            var presentation = picture
            if let semicolon = picture.lastIndex(of: ";") { presentation = String(picture[..<semicolon]) }
            var digitsText = text
            if picture.hasSuffix(";o") { digitsText = String(text.filter { !$0.isLetter || presentation.first?.isLetter == true }) }
            return try JSONataNumberFormat.parseInteger(digitsText, picture: presentation).map { .number($0) }
        },
    ]
}
