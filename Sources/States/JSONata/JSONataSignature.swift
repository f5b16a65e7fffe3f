/// A function signature such as `<s-nn?:s>`: which argument types a function
/// accepts, which may be omitted, which take the context value when omitted
/// (`-`), and which repeat (`+`). Validating arguments against it gives JSONata's
/// T0410/T0411/T0412 errors and fills in the context argument.
struct JSONataSignature: Sendable {
    struct Parameter: Sendable {
        var type: Character          // s n b l o a f j x, or "(" for a choice
        var accepts: Set<Character>  // argument symbols this parameter matches
        var mask: UInt16 { accepts.reduce(0) { $0 | JSONataSignature.bit($1) } }
        var optional = false
        var repeats = false
        var context = false
        var subtype: String? = nil
    }

    var parameters: [Parameter] = []
    private var masks: [UInt16] = []

    init(_ text: String, position: Int = 0) throws {
        let chars = Array(text)
        var i = 0
        guard chars.first == "<" else { throw JSONataError.make("S0401", position) }
        i = 1
        let all: Set<Character> = ["a", "s", "n", "b", "l", "f", "o", "m"]
        while i < chars.count {
            let c = chars[i]
            switch c {
            case ":": i = chars.count   // the return type is not checked
                continue
            case ">": i += 1; continue
            case "s", "n", "b", "l", "o":
                parameters.append(Parameter(type: c, accepts: [c, "m"]))
            case "a":
                parameters.append(Parameter(type: c, accepts: all))
            case "x":
                parameters.append(Parameter(type: c, accepts: all))
            case "j":
                parameters.append(Parameter(type: c, accepts: all.subtracting(["f"])))
            case "f":
                parameters.append(Parameter(type: c, accepts: ["f"]))
            case "(":
                guard let close = chars[i...].firstIndex(of: ")") else { throw JSONataError.make("S0401", position) }
                let choice = chars[(i + 1)..<close]
                if choice.contains("<") { throw JSONataError.make("S0402", position) }
                parameters.append(Parameter(type: "(", accepts: Set(choice).union(["m"])))
                i = close
            case "-":
                if !parameters.isEmpty { parameters[parameters.count - 1].context = true }
            case "?":
                if !parameters.isEmpty { parameters[parameters.count - 1].optional = true }
            case "+":
                if !parameters.isEmpty { parameters[parameters.count - 1].repeats = true }
            case "<":
                guard let last = parameters.last, last.type == "a" || last.type == "f" else {
                    throw JSONataError.make("S0401", position)
                }
                var depth = 1
                var j = i + 1
                while j < chars.count, depth > 0 {
                    if chars[j] == "<" { depth += 1 } else if chars[j] == ">" { depth -= 1 }
                    j += 1
                }
                parameters[parameters.count - 1].subtype = String(chars[(i + 1)..<(j - 1)])
                i = j
                continue
            default:
                break
            }
            i += 1
        }
        masks = parameters.map(\.mask)
    }

    static func bit(_ symbol: Character) -> UInt16 {
        switch symbol {
        case "a": return 1
        case "s": return 2
        case "n": return 4
        case "b": return 8
        case "l": return 16
        case "f": return 32
        case "o": return 64
        case "m": return 128
        default: return 0
        }
    }

    static func bit(_ value: JValue?) -> UInt16 {
        guard let value else { return 128 }
        switch value {
        case .array: return 1
        case .string: return 2
        case .number: return 4
        case .bool: return 8
        case .null: return 16
        case .function: return 32
        case .object: return 64
        }
    }

    static func symbol(_ value: JValue?) -> Character {
        guard let value else { return "m" }
        switch value {
        case .null: return "l"
        case .bool: return "b"
        case .number: return "n"
        case .string: return "s"
        case .array: return "a"
        case .object: return "o"
        case .function: return "f"
        }
    }

    /// How many arguments each parameter takes, matching greedily with backtracking
    /// (the regular expression jsonata-js builds), or nil.
    private func match(_ symbols: [UInt16], _ p: Int, _ a: Int, anchored: Bool, upTo: Int,
                       _ counts: inout [Int]) -> Bool {
        if p == upTo { return !anchored || a == symbols.count }
        let param = parameters[p]
        let maxCount = param.repeats ? symbols.count - a : min(1, symbols.count - a)
        let minCount = (param.optional || param.context) ? 0 : 1
        var count = maxCount
        while count >= minCount {
            var fits = true
            let mask = masks[p]
            for i in a..<(a + count) where symbols[i] & mask == 0 { fits = false; break }
            if fits, match(symbols, p + 1, a + count, anchored: anchored, upTo: upTo, &counts) {
                counts[p] = count
                return true
            }
            count -= 1
        }
        return false
    }

    private func match(_ symbols: [UInt16], anchored: Bool, upTo: Int) -> [Int]? {
        var counts = [Int](repeating: 0, count: parameters.count)
        return match(symbols, 0, 0, anchored: anchored, upTo: upTo, &counts) ? Array(counts.prefix(upTo)) : nil
    }

    func validate(_ args: [JValue?], context: JValue?) throws -> [JValue?] {
        let symbols = args.map(Self.bit)
        guard let counts = match(symbols, anchored: true, upTo: parameters.count) else {
            // find the first argument that no longer fits
            var goodTo = 0
            for k in 1...max(1, parameters.count) where k <= parameters.count {
                guard let partial = match(symbols, anchored: false, upTo: k) else {
                    throw JSONataFault("T0410", value: goodTo < args.count ? args[goodTo] : nil, index: goodTo + 1)
                }
                goodTo = partial.reduce(0, +)
            }
            throw JSONataFault("T0410", value: goodTo < args.count ? args[goodTo] : nil, index: goodTo + 1)
        }
        var validated: [JValue?] = []
        var argIndex = 0
        for (p, param) in parameters.enumerated() {
            let count = counts[p]
            if count == 0 {
                if param.context {
                    if masks[p] & Self.bit(context) != 0 {
                        validated.append(context)
                    } else {
                        throw JSONataFault("T0411", value: context, index: argIndex + 1)
                    }
                } else {
                    validated.append(nil)
                }
                continue
            }
            for _ in 0..<count {
                var arg = args[argIndex]
                if param.type == "a", let value = arg {
                    let single = Self.symbol(value)
                    if let subtype = param.subtype {
                        var ok = true
                        if single != "a" {
                            ok = String(single) == subtype
                        } else if case .array(let items) = value, let first = items.items.first {
                            let itemType = Self.symbol(first)
                            ok = String(itemType) == String(subtype.prefix(1))
                                && items.items.allSatisfy { Self.symbol($0) == itemType }
                        }
                        if !ok {
                            throw JSONataFault("T0412", value: value, index: argIndex + 1,
                                               type: Self.typeNames[subtype] ?? subtype)
                        }
                    }
                    if single != "a" { arg = .plainArray([value]) }
                }
                validated.append(arg)
                argIndex += 1
            }
        }
        return validated
    }

    static let typeNames: [String: String] = [
        "a": "arrays", "b": "booleans", "f": "functions", "n": "numbers", "o": "objects", "s": "strings",
    ]
}

/// An error raised inside a function, before the caller's position and the
/// function's name are known; the call site turns it into a `JSONataError`.
struct JSONataFault: Error {
    var code: String
    var value: JValue? = nil
    var value2: JValue? = nil
    var index: Int? = nil
    var type: String? = nil
    var exp: JValue? = nil
    var text: String? = nil
    var token: String? = nil

    init(_ code: String, value: JValue? = nil, value2: JValue? = nil, index: Int? = nil, type: String? = nil,
         exp: JValue? = nil, text: String? = nil, token: String? = nil) {
        self.code = code; self.value = value; self.value2 = value2; self.index = index
        self.type = type; self.exp = exp; self.text = text; self.token = token
    }

    func error(position: Int, token: String?) -> JSONataError {
        JSONataError.make(code, position, token: self.token ?? token, value: value, value2: value2, index: index,
                          type: type, exp: exp, text: text)
    }
}
