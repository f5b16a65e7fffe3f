/// A Pratt parser for JSONata (top-down operator precedence, as jsonata-js
/// parses), producing the raw tree that `JSONataASTProcessor` then reshapes.
struct JSONataParser {
    private var lexer: JSONataLexer
    private var node: JSONataToken
    private var depth = 0
    static let maxDepth = 200

    static func parse(_ source: String) throws -> JSONataNode {
        var parser = try JSONataParser(source)
        let raw = try parser.expression(0)
        if parser.node.kind != .end {
            throw JSONataError.make("S0201", parser.node.position, token: parser.node.text)
        }
        var processor = JSONataASTProcessor()
        let ast = try processor.process(raw)
        if ast.kind == .parent || ast.seekingParent != nil {
            throw JSONataError.make("S0217", ast.position, token: "parent")
        }
        return ast
    }

    private init(_ source: String) throws {
        lexer = JSONataLexer(source)
        node = JSONataToken(kind: .end, text: "(end)", position: 0)
        node = try lexer.next(regexAllowed: true)
    }

    static let bindingPowers: [String: Int] = [
        ".": 75, "[": 80, "{": 70, "(": 80, "@": 80, "#": 80, "?": 20, "+": 50, "-": 50, "*": 60, "/": 60,
        "%": 60, "=": 40, "<": 40, ">": 40, "^": 40, ":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40,
        "?:": 40, "??": 40, "and": 30, "or": 25, "in": 40, "&": 50,
    ]
    static let knownOperators: Set<String> = [
        ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|", "=",
        "<", ">", "^", "**", "..", ":=", "!=", "<=", ">=", "~>", "?:", "??", "and", "or", "in", "&",
    ]

    private func id(_ token: JSONataToken) -> String {
        switch token.kind {
        case .op: return token.text
        case .name, .variable: return "(name)"
        case .string, .number, .value: return "(literal)"
        case .regex: return "(regex)"
        case .end: return "(end)"
        }
    }

    private var lbp: Int {
        node.kind == .op ? Self.bindingPowers[node.text] ?? 0 : 0
    }

    /// Moves past the current token, checking it is `expected` when given.
    private mutating func advance(_ expected: String? = nil, infix: Bool = false) throws {
        if let expected, !(node.kind == .op && node.text == expected) {
            throw JSONataError.make(node.kind == .end ? "S0203" : "S0202", node.position, token: node.text,
                                    value: .string(expected))
        }
        if node.kind == .op, !Self.knownOperators.contains(node.text) {
            throw JSONataError.make("S0204", node.position, token: node.text)
        }
        node = try lexer.next(regexAllowed: !infix)
    }

    private func isOp(_ text: String) -> Bool { node.kind == .op && node.text == text }

    mutating func expression(_ rbp: Int) throws -> JSONataNode {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw JSONataError.make("U1001", node.position) }
        let t = node
        // after an opening bracket or a prefix operator a `/` starts a regular expression
        let opens = t.kind == .op && ["(", "[", "{", "-", "|"].contains(t.text)
        try advance(nil, infix: !opens)
        var left = try nud(t)
        while rbp < lbp {
            let op = node
            try advance()
            left = try led(op, left)
        }
        return left
    }

    private mutating func nud(_ t: JSONataToken) throws -> JSONataNode {
        switch t.kind {
        case .name: return JSONataNode(.name, t.text, position: t.position)
        case .variable: return JSONataNode(.variable, t.text, position: t.position)
        case .string: return JSONataNode(.string, t.text, position: t.position)
        case .number:
            if !t.number.isFinite { throw JSONataError.make("S0102", t.position, token: t.text) }
            let n = JSONataNode(.number, t.text, position: t.position)
            n.number = t.number
            return n
        case .value:
            let n = JSONataNode(.value, t.text, position: t.position)
            n.literal = t.literal
            return n
        case .regex:
            let n = JSONataNode(.regex, t.text, position: t.position)
            n.regex = t.regex
            return n
        case .end: throw JSONataError.make("S0207", t.position, token: "(end)")
        case .op: break
        }
        switch t.text {
        case "and", "or", "in": return JSONataNode(.name, t.text, position: t.position)
        case "-":
            let n = JSONataNode(.unary, "-", position: t.position)
            n.expression = try expression(70)
            return n
        case "*": return JSONataNode(.wildcard, "*", position: t.position)
        case "**": return JSONataNode(.descendant, "**", position: t.position)
        case "%": return JSONataNode(.parent, "%", position: t.position)
        case "(":
            let n = JSONataNode(.block, "(", position: t.position)
            while !isOp(")") {
                n.expressions.append(try expression(0))
                if !isOp(";") { break }
                try advance(";")
            }
            try advance(")", infix: true)
            return n
        case "[":
            let n = JSONataNode(.unary, "[", position: t.position)
            if !isOp("]") {
                while true {
                    var item = try expression(0)
                    if isOp("..") {
                        let range = JSONataNode(.binary, "..", position: node.position)
                        range.lhs = item
                        try advance("..")
                        range.rhs = try expression(0)
                        item = range
                    }
                    n.expressions.append(item)
                    if !isOp(",") { break }
                    try advance(",")
                }
            }
            try advance("]", infix: true)
            return n
        case "{":
            let n = JSONataNode(.unary, "{", position: t.position)
            n.pairs = try objectPairs()
            return n
        case "|":
            let n = JSONataNode(.transform, "|", position: t.position)
            n.expression = try expression(0)
            try advance("|")
            n.update = try expression(0)
            if isOp(",") {
                try advance(",")
                n.delete = try expression(0)
            }
            try advance("|", infix: true)
            return n
        default:
            throw JSONataError.make("S0211", t.position, token: t.text)
        }
    }

    private mutating func objectPairs() throws -> [(JSONataNode, JSONataNode)] {
        var pairs: [(JSONataNode, JSONataNode)] = []
        if !isOp("}") {
            while true {
                let key = try expression(0)
                try advance(":")
                let value = try expression(0)
                pairs.append((key, value))
                if !isOp(",") { break }
                try advance(",")
            }
        }
        try advance("}", infix: true)
        return pairs
    }

    private mutating func led(_ t: JSONataToken, _ left: JSONataNode) throws -> JSONataNode {
        let bp = Self.bindingPowers[t.text] ?? 0
        switch t.text {
        case ".", "+", "-", "*", "/", "%", "=", "<", ">", "!=", "<=", ">=", "&", "and", "or", "in", "~>":
            let n = JSONataNode(.binary, t.text, position: t.position)
            n.lhs = left
            n.rhs = try expression(bp)
            return n
        case "??":
            let n = JSONataNode(.coalesce, t.text, position: t.position)
            n.lhs = left
            n.rhs = try expression(0)
            return n
        case "?:":
            let n = JSONataNode(.elvis, t.text, position: t.position)
            n.lhs = left
            n.rhs = try expression(0)
            return n
        case "?":
            let n = JSONataNode(.condition, "?", position: t.position)
            n.condition = left
            n.then = try expression(0)
            if isOp(":") {
                try advance(":")
                n.otherwise = try expression(0)
            }
            return n
        case "(":
            return try call(t, left)
        case "[":
            if isOp("]") {
                var step = left
                while step.kind == .binary, step.value == "[", let inner = step.lhs { step = inner }
                step.keepArray = true
                try advance("]", infix: true)
                return left
            }
            let n = JSONataNode(.binary, "[", position: t.position)
            n.lhs = left
            n.rhs = try expression(0)
            try advance("]", infix: true)
            return n
        case "^":
            try advance("(")
            let n = JSONataNode(.binary, "^", position: t.position)
            n.lhs = left
            while true {
                var descending = false
                if isOp("<") { try advance("<") } else if isOp(">") { descending = true; try advance(">") }
                n.terms.append(.init(descending: descending, expression: try expression(0)))
                if !isOp(",") { break }
                try advance(",")
            }
            try advance(")", infix: true)
            return n
        case "{":
            let n = JSONataNode(.binary, "{", position: t.position)
            n.lhs = left
            n.pairs = try objectPairs()
            return n
        case ":=":
            guard left.kind == .variable else { throw JSONataError.make("S0212", left.position, token: left.value) }
            let n = JSONataNode(.binary, ":=", position: t.position)
            n.lhs = left
            n.rhs = try expression(bp - 1)
            return n
        case "@", "#":
            let n = JSONataNode(.binary, t.text, position: t.position)
            n.lhs = left
            n.rhs = try expression(bp)
            guard n.rhs?.kind == .variable else {
                throw JSONataError.make("S0214", n.rhs?.position ?? t.position, token: t.text)
            }
            return n
        default:
            throw JSONataError.make("S0201", t.position, token: t.text)
        }
    }

    private mutating func call(_ t: JSONataToken, _ left: JSONataNode) throws -> JSONataNode {
        let n = JSONataNode(.function, "(", position: t.position)
        n.procedure = left
        if !isOp(")") {
            while true {
                if isOp("?") {
                    n.kind = .partial
                    n.arguments.append(JSONataNode(.placeholder, "?", position: node.position))
                    try advance("?", infix: true)
                } else {
                    n.arguments.append(try expression(0))
                }
                if !isOp(",") { break }
                try advance(",")
            }
        }
        try advance(")", infix: true)
        guard left.kind == .name, left.value == "function" || left.value == "λ" else { return n }
        // a lambda definition: function($a, $b)<signature>{ body }
        for (i, argument) in n.arguments.enumerated() where argument.kind != .variable {
            throw JSONataError.make("S0208", argument.position, token: argument.value, value: .number(Double(i + 1)))
        }
        n.kind = .lambda
        n.parameters = n.arguments.map(\.value)
        n.arguments = []
        if isOp("<") {
            let start = node.position
            var depth = 1
            var text = "<"
            while depth > 0, !isOp("{"), node.kind != .end {
                try advance()
                if isOp(">") { depth -= 1 } else if isOp("<") { depth += 1 }
                text += node.text
            }
            try advance(">")
            n.signature = try JSONataSignature(text, position: start)
        }
        try advance("{")
        n.body = try expression(0)
        try advance("}", infix: true)
        return n
    }
}
