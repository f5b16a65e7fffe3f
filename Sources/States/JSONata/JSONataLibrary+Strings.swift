import Foundation

/// String functions: $string, $length, $substring…, $pad, $contains, $split,
/// $join, $match, $replace, $eval.
extension JSONataLibrary {
    static let strings: [JSONataBuiltin] = [
        JSONataBuiltin("string", "<x-b?:s>") { _, args in
            guard let value = args[0] else { return nil }
            let prettify = args.count > 1 && JSONataEvaluator.boolean(args[1]) == true
            return .string(try JSONataEvaluator.string(value, prettify: prettify))
        },
        JSONataBuiltin("length", "<s-:n>") { _, args in
            guard let s = string(args[0]) else { return nil }
            return .number(Double(s.unicodeScalars.count))
        },
        JSONataBuiltin("substring", "<s-nn?:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            let chars = Array(s.unicodeScalars)
            var start = Int((number(args[1]) ?? 0).rounded(.towardZero))
            if chars.count + start < 0 { start = 0 }
            func slice(_ from: Int, _ to: Int) -> JValue {
                let lo = from < 0 ? max(0, chars.count + from) : min(from, chars.count)
                let hi = to < 0 ? max(0, chars.count + to) : min(to, chars.count)
                if lo >= hi { return .string("") }
                return .string(String(String.UnicodeScalarView(chars[lo..<hi])))
            }
            if args.count > 2, let lengthValue = number(args[2]) {
                let length = Int(lengthValue.rounded(.towardZero))
                if length <= 0 { return .string("") }
                let end = start >= 0 ? start + length : chars.count + start + length
                return slice(start, end)
            }
            return slice(start, chars.count)
        },
        JSONataBuiltin("substringBefore", "<s-s:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            guard let chars = string(args[1]), !chars.isEmpty else { return args[1] == nil ? .string(s) : .string("") }
            guard let r = s.range(of: chars, options: .literal) else { return .string(s) }
            return .string(String(s[..<r.lowerBound]))
        },
        JSONataBuiltin("substringAfter", "<s-s:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            guard let chars = string(args[1]), !chars.isEmpty else { return .string(s) }
            guard let r = s.range(of: chars, options: .literal) else { return .string(s) }
            return .string(String(s[r.upperBound...]))
        },
        JSONataBuiltin("uppercase", "<s-:s>") { _, args in
            string(args[0]).map { .string($0.uppercased()) }
        },
        JSONataBuiltin("lowercase", "<s-:s>") { _, args in
            string(args[0]).map { .string($0.lowercased()) }
        },
        JSONataBuiltin("trim", "<s-:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            var out = ""
            var pendingSpace = false
            for scalar in s.unicodeScalars {
                if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                    pendingSpace = true
                } else {
                    if pendingSpace, !out.isEmpty { out += " " }
                    pendingSpace = false
                    out.unicodeScalars.append(scalar)
                }
            }
            return .string(out)
        },
        JSONataBuiltin("pad", "<s-ns?:s>") { _, args in
            guard let s = string(args[0]) else { return nil }
            guard let widthValue = number(args[1]) else { return .string(s) }
            var pad = string(args.count > 2 ? args[2] : nil) ?? " "
            if pad.isEmpty { pad = " " }
            let width = Int(widthValue.rounded(.towardZero))
            let padLength = abs(width) - s.unicodeScalars.count
            guard padLength > 0 else { return .string(s) }
            if padLength > 10_000_000 { throw JSONataFault("D3137", text: "$pad width is too large") }
            let padScalars = Array(pad.unicodeScalars)
            var padding = String.UnicodeScalarView()
            for i in 0..<padLength { padding.append(padScalars[i % padScalars.count]) }
            return .string(width > 0 ? s + String(padding) : String(padding) + s)
        },
        JSONataBuiltin("contains", "<s-(sf):b>") { _, args in
            guard let s = string(args[0]) else { return nil }
            switch args[1] {
            case .string(let token)?: return .bool(token.isEmpty || s.contains(token))
            case .function(let f)?:
                guard case .regex(let regex) = f.body else { throw JSONataFault("T0410", index: 2) }
                return .bool(!regex.matches(in: s, limit: 1).isEmpty)
            default: return nil
            }
        },
        JSONataBuiltin("split", "<s-(sf)n?:a<s>>") { call, args in
            guard let s = string(args[0]) else { return nil }
            var limit: Int? = nil
            if args.count > 2, let l = number(args[2]) {
                if l < 0 { throw JSONataFault("D3020", value: args[2]) }
                limit = Int(l.rounded(.down))
            }
            var parts: [String] = []
            switch args[1] {
            case .string(let separator)?:
                if separator.isEmpty {
                    parts = s.unicodeScalars.map { String($0) }
                } else {
                    parts = s.components(separatedBy: separator)
                }
            case .function(let f)?:
                let matches = try regexMatches(f, s, call: call)
                let ns = s as NSString
                var position = 0
                for m in matches {
                    parts.append(ns.substring(with: NSRange(location: position, length: m.start - position)))
                    position = m.end
                }
                parts.append(ns.substring(from: position))
            default: return nil
            }
            if let limit { parts = Array(parts.prefix(limit)) }
            return .plainArray(parts.map { .string($0) })
        },
        JSONataBuiltin("join", "<a<s>s?:s>") { _, args in
            guard let items = items(args[0]) else { return nil }
            let separator = string(args.count > 1 ? args[1] : nil) ?? ""
            return .string(items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
                .joined(separator: separator))
        },
        JSONataBuiltin("match", "<s-f<s:o>n?:a<o>>") { call, args in
            guard let s = string(args[0]) else { return nil }
            var limit = Int.max
            if args.count > 2, let l = number(args[2]) {
                if l < 0 { throw JSONataFault("D3040", value: args[2]) }
                limit = Int(l.rounded(.down))
            }
            guard let f = function(args[1]) else { return nil }
            let matches = try regexMatches(f, s, call: call).prefix(limit)
            return .sequence(matches.map { m in
                .object(JObject(keys: ["match", "index", "groups"],
                                values: [.string(m.match), .number(Double(m.start)), .plainArray(m.groups.map { .string($0) })]))
            })
        },
        JSONataBuiltin("replace", "<s-(sf)(sf)n?:s>") { call, args in
            guard let s = string(args[0]) else { return nil }
            if case .string("")? = args[1] { throw JSONataFault("D3010", value: args[1]) }
            var limit = Int.max
            if args.count > 3, let l = number(args[3]) {
                if l < 0 { throw JSONataFault("D3011", value: args[3]) }
                limit = Int(l.rounded(.down))
            }
            let replacement = args.count > 2 ? args[2] : nil
            switch args[1] {
            case .string(let pattern)?:
                guard case .string(let with)? = replacement else { return .string(s) }
                var out = ""
                var rest = s[...]
                var count = 0
                while count < limit, let r = rest.range(of: pattern, options: .literal) {
                    out += rest[..<r.lowerBound]
                    out += with
                    rest = rest[r.upperBound...]
                    count += 1
                }
                return .string(out + rest)
            case .function(let f)?:
                let matches = try regexMatches(f, s, call: call).prefix(limit)
                let ns = s as NSString
                var out = ""
                var position = 0
                for m in matches {
                    out += ns.substring(with: NSRange(location: position, length: m.start - position))
                    switch replacement {
                    case .string(let template)?: out += substitute(template, m)
                    case .function(let replacer)?:
                        let value = try call.evaluator.apply(replacer, [JSONataEvaluator.matchObject(m)], nil, call.environment)
                        guard case .string(let text)? = value else { throw JSONataFault("D3012", value: value) }
                        out += text
                    default: break
                    }
                    position = m.end
                }
                return .string(out + ns.substring(from: position))
            default: return nil
            }
        },
        JSONataBuiltin("eval", "<sx?:x>") { call, args in
            guard let source = string(args[0]) else { return nil }
            let expression: JSONataExpression
            do { expression = try JSONataExpression(source) } catch let error as JSONataError {
                throw JSONataFault("D3120", value: .string(error.message))
            }
            let context = args.count > 1 && args[1] != nil ? args[1] : call.input
            do {
                return try call.evaluator.evaluate(expression.root, context, call.environment)
            } catch let error as JSONataError {
                throw JSONataFault("D3121", value: .string(error.message))
            }
        },
    ]

    /// Matches of a regular expression argument, refusing ones that match nothing (D1004).
    static func regexMatches(_ f: JFunction, _ s: String, call: JSONataCall) throws -> [JSONataRegex.Match] {
        guard case .regex(let regex) = f.body else {
            throw JSONataFault("T1010")
        }
        let matches = regex.matches(in: s)
        if matches.contains(where: { $0.start == $0.end }) { throw JSONataFault("D1004", value: .string(regex.pattern)) }
        return matches
    }

    /// `$0`, `$1`… and `$$` in a replacement string, as JSONata reads them.
    static func substitute(_ template: String, _ m: JSONataRegex.Match) -> String {
        let chars = Array(template)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "$", i + 1 < chars.count else { out.append(c); i += 1; continue }
            let next = chars[i + 1]
            if next == "$" { out += "$"; i += 2; continue }
            if next == "0" { out += m.match; i += 2; continue }
            let maxDigits = m.groups.isEmpty ? 1 : String(m.groups.count).count
            var digits = String(chars[(i + 1)..<min(chars.count, i + 1 + maxDigits)].prefix { $0.isASCII && $0.isNumber })
            if digits.count > 1, let n = Int(digits), n > m.groups.count { digits.removeLast() }
            guard let index = Int(digits) else { out += "$"; i += 1; continue }
            if index >= 1, index <= m.groups.count { out += m.groups[index - 1] }
            i += 1 + digits.count
        }
        return out
    }
}
