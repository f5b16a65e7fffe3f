import XCTest
@testable import DynamoDB

/// Errors from reading and checking expressions, with AWS's exact wording.
final class ExpressionParseTests: ExpressionTestCase {
    var values: [String: AttributeValue] { [
        ":v": S("x"), ":w": S("y"), ":n": N("1"), ":five": N("5"), ":l": L(N("1")), ":m": M(["a": N("1")]),
        ":t": TRUE, ":ss": SS("a"), ":ns": NS("1"), ":type": S("SSS"), ":typeN": S("N"), ":delta": N("3"), ":b": B([1, 2, 3]),
    ] }

    func conditionError(_ text: String, kind: ExpressionKind = .condition, names: [String: String] = [:]) -> String {
        validationMessage { _ = try ConditionExpression.parse(text, kind: kind, context: context(names: names, values: values)) }
    }

    func updateError(_ text: String, names: [String: String] = [:]) -> String {
        validationMessage { _ = try UpdateExpression.parse(text, context: context(names: names, values: values)) }
    }

    func projectionError(_ text: String, names: [String: String] = [:]) -> String {
        validationMessage { _ = try ProjectionExpression.parse(text, context: context(names: names, values: values)) }
    }

    func testConditionSyntaxErrorsNameTheTokenAndTheTextAroundIt() {
        let cases: [(String, String)] = [
            ("foo", #"token: "<EOF>", near: "foo""#),
            ("a x", #"token: "x", near: "a x""#),
            ("a+:delta<b", #"token: "+", near: "a+:delta""#),
            ("a = ", #"token: "<EOF>", near: "=""#),
            ("a = :v AND", #"token: "<EOF>", near: "AND""#),
            ("a = :v OR ", #"token: "<EOF>", near: "OR""#),
            ("a IN ()", #"token: ")", near: "()""#),
            ("a = :v $ b", #"token: "$", near: ":v $ b""#),
            ("(a = :v", #"token: "<EOF>", near: ":v""#),
            ("#l[abc].#c = :v", #"token: "abc", near: "[abc]""#),
            ("#l[-1].#c = :v", #"token: "-", near: "[-1""#),
            ("#l[].#c = :v", #"token: "]", near: "[].""#),
            ("a BETWEEN :v", #"token: "<EOF>", near: ":v""#),
            ("NOT a", #"token: "<EOF>", near: "a""#),
            ("_a = :v", #"token: "_", near: "_a""#),
            ("a < b < c", #"token: "<", near: "b < c""#),
            ("a", #"token: "<EOF>", near: "a""#),
            ("(a)", #"token: "<EOF>", near: ")""#),
            ("a = :v AND (b)", #"token: "<EOF>", near: ")""#),
            ("(a, b) = :v", #"token: ",", near: "a, b""#),
            ("(a AND b = :v)", #"token: "AND", near: "a AND b""#),
            ("a = :v and = :w", #"token: "=", near: "and = :w""#),
            ("a = :", #"token: ":", near: "= :""#),
            ("a.:v = :w", #"token: ":v", near: ".:v =""#),
            ("a[01] = :v", #"token: "1", near: "01]""#),
            ("a = f()", #"token: ")", near: "()""#),
            ("   ", #"token: "<EOF>", near: """#),
        ]
        for (text, detail) in cases {
            XCTAssertEqual(conditionError(text), "Invalid ConditionExpression: Syntax error; \(detail)", text)
        }
    }

    func testEachExpressionKindNamesItself() {
        XCTAssertEqual(conditionError("foo", kind: .filter), #"Invalid FilterExpression: Syntax error; token: "<EOF>", near: "foo""#)
        XCTAssertEqual(conditionError("foo", kind: .keyCondition), #"Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "foo""#)
        XCTAssertEqual(projectionError("a,"), #"Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ",""#)
        XCTAssertEqual(updateError("SET a"), #"Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a""#)
    }

    func testConditionRuleErrors() {
        let cases: [(String, String)] = [
            ("size(a)", "The function is not allowed to be used this way in an expression; function: size"),
            ("attribute_exists(a) < :n", "The function is not allowed to be used this way in an expression; function: attribute_exists"),
            ("dog(a) = :n", "Invalid function name; function: dog"),
            ("ATTRIBUTE_EXISTS(a)", "Invalid function name; function: ATTRIBUTE_EXISTS"),
            ("if_not_exists(a, :v) = :w", "The function is not allowed in a condition expression; function: if_not_exists"),
            ("list_append(a, :l) = :l", "The function is not allowed in a condition expression; function: list_append"),
            ("size(a, a) = :n", "Incorrect number of operands for operator or function; operator or function: size, number of operands: 2"),
            ("begins_with(a)", "Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1"),
            ("attribute_exists(:v)", "Operator or function requires a document path; operator or function: attribute_exists"),
            ("attribute_not_exists(size(a))", "Operator or function requires a document path; operator or function: attribute_not_exists"),
            ("begins_with(a, :n)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
            ("begins_with(size(a), :v)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
            ("a < :l", "Incorrect operand type for operator or function; operator or function: <, operand type: L"),
            (":m >= a", "Incorrect operand type for operator or function; operator or function: >=, operand type: M"),
            ("a <= :t", "Incorrect operand type for operator or function; operator or function: <=, operand type: BOOL"),
            ("a BETWEEN :t AND :t", "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL"),
            ("size(:n) > :n", "Incorrect operand type for operator or function; operator or function: size, operand type: N"),
            ("a BETWEEN :five AND :n", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"),
            ("a BETWEEN :n AND :v", "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}"),
            ("a BETWEEN :w AND :v", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:y}, upper bound operand: AttributeValue: {S:x}"),
            ("attribute_type(a, :type)", "Invalid attribute type name found; type: SSS, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}"),
            ("attribute_type(a, :n)", "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"),
            ("attribute_type(a, b)", "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {SS,M,DECIMAL,DOUBLESET,HDS,N,B,DICT,INTSET,BOOL,HD,BS,INT,DECIMALSET,NULL,FLOAT,FS,S,L,NS,DOUBLE}"),
            ("a = a", "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"),
            ("a.b[1] <> a.b[1]", "The first operand must be distinct from the remaining operands for this operator or function; operator: <>, first operand: [a, b, [1]]"),
            ("contains(a, a)", "The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]"),
            ("a BETWEEN b AND a", "The first operand must be distinct from the remaining operands for this operator or function; operator: BETWEEN, first operand: [a]"),
            ("a IN (b, a)", "The first operand must be distinct from the remaining operands for this operator or function; operator: IN, first operand: [a]"),
            ("((a = :v))", "The expression has redundant parentheses;"),
            ("((a)) = :v", "The expression has redundant parentheses;"),
            ("a = ((:v))", "The expression has redundant parentheses;"),
            ("name = :v", "Attribute name is a reserved keyword; reserved keyword: name"),
            ("a.Status = :v", "Attribute name is a reserved keyword; reserved keyword: Status"),
            ("#n = :v", "An expression attribute name used in the document path is not defined; attribute name: #n"),
            ("a = :y", "An expression attribute value used in expression is not defined; attribute value: :y"),
            ("a[99999999999] = :v", "List index is not within the allowable range; index: [99999999999]"),
            ("a[2147483648] = :v", "List index is not within the allowable range; index: [2147483648]"),
        ]
        for (text, message) in cases {
            XCTAssertEqual(conditionError(text), "Invalid ConditionExpression: \(message)", text)
        }
    }

    func testChecksReportTheFirstProblemInWritingOrder() {
        // Reserved words and function names are read before placeholders.
        XCTAssertEqual(conditionError("a = :undefined AND name = :v"), "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name")
        XCTAssertEqual(conditionError("a = :undefined AND dog(a)"), "Invalid ConditionExpression: Invalid function name; function: dog")
        // Placeholders and operand types are checked as written.
        XCTAssertEqual(conditionError("a = :undefined AND begins_with(a, :n)"), "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :undefined")
        XCTAssertEqual(conditionError("begins_with(a, :n) AND a = :undefined"), "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")
        // A syntax error anywhere comes before everything else.
        XCTAssertEqual(conditionError("name = :undefined AND"), #"Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND""#)
    }

    func testParenthesesThatAreNotRedundantAreAccepted() {
        for text in ["(a = :v)", "(a) = :v", "a = (:v)", "(a = :v) AND (b = :w)", "((a = :v) AND b = :w)", "NOT (a) = :v",
                     "(size(a)) > :n", "(attribute_exists(a))", "((a) = :v)", "a IN ((b), :v)"] {
            XCTAssertEqual(conditionError(text), "<no error>", text)
        }
    }

    func testNamesAndKeywordsAreCaseRules() {
        for text in ["a = :v aNd b = :w", "a between :n and :five", "a In (:v)", "nOt a = :v", "#st = :v", "a.#st = :v", "A123_ = :v"] {
            XCTAssertEqual(conditionError(text, names: ["#st": "status"]), "<no error>", text)
        }
        // CONVERT and SIZE are on the published list but DynamoDB reads them as names.
        XCTAssertEqual(conditionError("size = :n AND convert = :n"), "<no error>")
    }

    func testEmptyAndOversizedExpressions() {
        XCTAssertEqual(conditionError(""), "Invalid ConditionExpression: The expression can not be empty;")
        XCTAssertEqual(updateError(""), "Invalid UpdateExpression: The expression can not be empty;")
        XCTAssertEqual(projectionError(""), "Invalid ProjectionExpression: The expression can not be empty;")
        let atLimit = "a = :v" + String(repeating: " ", count: 4096 - 6)
        XCTAssertEqual(conditionError(atLimit), "<no error>")
        XCTAssertEqual(conditionError(atLimit + " "), "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097")
        let huge = String(repeating: "(", count: 1 << 20)
        XCTAssertEqual(conditionError(huge, kind: .filter), "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 1048576")
        // Multi-byte characters count in bytes.
        XCTAssertEqual(conditionError("#é = :v" + String(repeating: "é", count: 2045)),
                       "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4098")
    }

    func testDocumentPathsNestAtMost32Levels() {
        let ok = "a" + String(repeating: ".b", count: 31)
        XCTAssertEqual(projectionError(ok), "<no error>")
        XCTAssertEqual(projectionError(ok + ".c"), "Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33")
        XCTAssertEqual(conditionError("a" + String(repeating: "[0]", count: 32) + " = :v"),
                       "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33")
    }

    func testInTakesAtMost100Values() {
        var vals: [String: AttributeValue] = [:]
        for i in 0..<101 { vals[":v\(i)"] = N("\(i)") }
        let hundred = (0..<100).map { ":v\($0)" }.joined(separator: ",")
        XCTAssertEqual(validationMessage { _ = try ConditionExpression.parse("a IN (\(hundred))", context: context(values: vals)) }, "<no error>")
        let hundredOne = (0..<101).map { ":v\($0)" }.joined(separator: ",")
        XCTAssertEqual(validationMessage { _ = try ConditionExpression.parse("a IN (\(hundredOne))", context: context(values: vals)) },
                       "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101")
    }

    func testOperatorLimitAndDeepNestingFailWithoutCrashing() {
        let three00 = Array(repeating: "a < b", count: 150).joined(separator: " AND ")   // 150 + 149 operators
        XCTAssertEqual(conditionError(three00), "<no error>")
        let three02 = Array(repeating: "a < b", count: 152).joined(separator: " AND ")   // 152 + 151
        XCTAssertEqual(conditionError(three02), "Invalid ConditionExpression: The expression contains too many operators; operator count: 303")
        XCTAssertEqual(conditionError(String(repeating: "NOT ", count: 1000) + "a=:v"),
                       "Invalid ConditionExpression: The expression contains too many operators; operator count: 1001")
        XCTAssertEqual(conditionError(String(repeating: "(", count: 4000)), #"Invalid ConditionExpression: Syntax error; token: "(", near: "(((""#)
        XCTAssertEqual(conditionError(String(repeating: "(", count: 2000) + "a = :v" + String(repeating: ")", count: 2000)),
                       "Invalid ConditionExpression: The expression has redundant parentheses;")
        XCTAssertEqual(conditionError(String(repeating: "size(", count: 800)),
                       "Invalid ConditionExpression: The expression contains too many operators; operator count: 800")
        XCTAssertEqual(conditionError(String(repeating: "(a = :v AND ", count: 300) + "a = :v" + String(repeating: ")", count: 300)),
                       "Invalid ConditionExpression: The expression contains too many operators; operator count: 601")
        let sums = (0..<310).map { "a\($0)=:n+:n" }.joined(separator: ",")
        XCTAssertEqual(updateError("SET " + sums), "Invalid UpdateExpression: The expression contains too many operators; operator count: 310")
    }

    func testNestingLimitsHoldOnASmallThreadStack() {
        // Event-loop and task threads can have far less stack than the main thread
        // (512 KB on Darwin); the worst inputs within the limits must fit in 384 KB, in
        // a debug build too, leaving room for the callers' frames.
        let conditions: [(String, String)] = [
            (String(repeating: "(NOT ", count: 128) + "a = :v" + String(repeating: ")", count: 128), "<no error>"),
            (String(repeating: "(a = :v AND ", count: 128) + "a = :v" + String(repeating: ")", count: 128), "<no error>"),
            (String(repeating: "NOT ", count: 299) + "a = :v", "<no error>"),
            (Array(repeating: "a = :v", count: 150).joined(separator: " AND "), "<no error>"),
            (String(repeating: "size((", count: 64) + "a" + String(repeating: "))", count: 64) + " = :v",
             "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N"),
            (String(repeating: "(NOT ", count: 800), "Invalid ConditionExpression: The expression contains too many operators; operator count: 800"),
            (String(repeating: "a IN (", count: 680), "Invalid ConditionExpression: The expression contains too many operators; operator count: 680"),
            (String(repeating: "(a = :v AND ", count: 290) + "a = :v" + String(repeating: ")", count: 290),
             "Invalid ConditionExpression: The expression contains too many operators; operator count: 581"),
            (String(repeating: "(", count: 129) + "a = :v" + String(repeating: ")", count: 129), "Invalid ConditionExpression: The expression has redundant parentheses;"),
            (String(repeating: "a=:v AND ", count: 454) + "a=:v", "Invalid ConditionExpression: The expression contains too many operators; operator count: 909"),
            (String(repeating: "a=:v OR ", count: 510) + "a=:v", "Invalid ConditionExpression: The expression contains too many operators; operator count: 1021"),
            (String(repeating: "NOT (", count: 129) + "a = :v" + String(repeating: ")", count: 129), #"Invalid ConditionExpression: Syntax error; token: "(", near: "NOT (a""#),
        ]
        let updates: [(String, String)] = [
            ("SET b = " + String(repeating: "if_not_exists(a, ", count: 128) + ":v" + String(repeating: ")", count: 128), "<no error>"),
            ("SET b = " + String(repeating: "list_append(if_not_exists(a, ", count: 64) + ":l" + String(repeating: "), :l)", count: 64), "<no error>"),
        ]
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var results: [String] = []
        let thread = Thread {
            let message = ExpressionTestCase.validationMessage
            let target: Item = [(key: "a", value: .l([.s("x")]))]
            for (text, _) in conditions {
                let ctx = ExpressionContext(values: [":v": .s("x")])
                results.append(message {
                    let c = try ConditionExpression.parse(text, context: ctx)
                    _ = c.evaluate(on: target)
                    _ = c.paths
                    _ = try? KeyConditionExpression(condition: c).terms()
                })
            }
            for (text, _) in updates {
                let ctx = ExpressionContext(values: [":v": .s("x"), ":l": .l([.s("y")])])
                results.append(message {
                    let u = try UpdateExpression.parse(text, context: ctx)
                    _ = try u.apply(to: target)
                    _ = u.readPaths
                })
            }
            done.signal()
        }
        thread.stackSize = 384 * 1024
        thread.start()
        done.wait()
        XCTAssertEqual(results, (conditions + updates).map(\.1))
    }

    func testUpdateSyntaxErrors() {
        let cases: [(String, String)] = [
            ("INVALID SYNTAX HERE", #"token: "INVALID", near: "INVALID SYNTAX""#),
            ("SET numx = numx * :v", #"token: "*", near: "numx * :v""#),
            ("DELETE setx", #"token: "<EOF>", near: "setx""#),
            ("ADD numx 1", #"token: "1", near: "numx 1""#),
            ("DELETE setx a", #"token: "a", near: "setx a""#),
            ("SET numx = numx +", #"token: "<EOF>", near: "+""#),
            ("SET b = :v + :w + :n", #"token: "+", near: ":w + :n""#),
            ("SET c = if_not_exists(c, :v+:w)", #"token: "+", near: ":v+:w""#),
            ("SET a[:v] = :w", #"token: ":v", near: "[:v]""#),
            ("SET a[#n] = :w", ##"token: "#n", near: "[#n]""##),
            ("SET :v = :w", #"token: ":v", near: "SET :v =""#),
            ("SET _123 = :v", #"token: "_", near: "SET _123""#),
            ("SET 123a = :v", #"token: "123", near: "SET 123a""#),
            ("SET hi-there = :v", #"token: "-", near: "hi-there""#),
            ("SET a = _f(b)", #"token: "_", near: "= _f""#),
            ("SET a = :v,", #"token: "<EOF>", near: ",""#),
            ("SET a = :v REMOVE", #"token: "<EOF>", near: "REMOVE""#),
            ("SET a = :v, REMOVE b", #"token: "REMOVE", near: ", REMOVE b""#),
            ("SET and = :v", #"token: "and", near: "SET and =""#),
            ("REMOVE a = :v", #"token: "=", near: "a = :v""#),
            ("SET a = (:v + :w) + :n", #"token: "+", near: ") + :n""#),
        ]
        for (text, detail) in cases {
            XCTAssertEqual(updateError(text), "Invalid UpdateExpression: Syntax error; \(detail)", text)
        }
    }

    func testUpdateRuleErrors() {
        let cases: [(String, String)] = [
            ("SET a = :v SET b = :w", #"The "SET" section can only be used once in an update expression;"#),
            ("SET a = :v REMOVE b SET c = :w", #"The "SET" section can only be used once in an update expression;"#),
            ("REMOVE a REMOVE b", #"The "REMOVE" section can only be used once in an update expression;"#),
            ("ADD a :n ADD b :n", #"The "ADD" section can only be used once in an update expression;"#),
            ("DELETE a :ss DELETE b :ss", #"The "DELETE" section can only be used once in an update expression;"#),
            ("SET a = :v, a.b = :w", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"),
            ("SET a.b = :v, a = :w", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"),
            ("SET a = :v REMOVE a", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
            ("SET a[1][1] = :v, a[1] = :w", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, [1], [1]], path two: [a, [1]]"),
            ("SET #a1 = :v, #a2 = :w", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
            ("SET a.b = :v, a[1] = :w", "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]"),
            ("SET a.b.c = :v, a.b[2] = :w", "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b, c], path two: [a, b, [2]]"),
            ("ADD a :v", "Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
            ("ADD a :l", "Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND"),
            ("ADD a :m", "Incorrect operand type for operator or function; operator: ADD, operand type: MAP, typeSet: ALLOWED_FOR_ADD_OPERAND"),
            ("DELETE a :n", "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
            ("DELETE a :t", "Incorrect operand type for operator or function; operator: DELETE, operand type: BOOLEAN, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
            ("SET a = :v + :n", "Incorrect operand type for operator or function; operator or function: +, operand type: S"),
            ("SET a = b - :l", "Incorrect operand type for operator or function; operator or function: -, operand type: L"),
            ("SET a = list_append(:l, :v)", "Incorrect operand type for operator or function; operator or function: list_append, operand type: S"),
            ("SET a = list_append(list_append(:l, :l), :l)", "The function is not allowed to be used this way in an expression; function: list_append"),
            ("SET a = size(b)", "The function is not allowed in an update expression; function: size"),
            ("SET a = attribute_exists(b)", "The function is not allowed in an update expression; function: attribute_exists"),
            ("SET a = LIST_APPEND(:l, :l)", "Invalid function name; function: LIST_APPEND"),
            ("SET a = f(b, c, d)", "Invalid function name; function: f"),
            ("SET a = list_append(:l)", "Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"),
            ("SET a = if_not_exists(a, :v, :w)", "Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 3"),
            ("SET a = if_not_exists(:v, :w)", "Operator or function requires a document path; operator or function: if_not_exists"),
            ("SET a = if_not_exists(if_not_exists(a, :v), :w)", "Operator or function requires a document path; operator or function: if_not_exists"),
            ("SET a = if_not_exists(:undefined, :w)", "An expression attribute value used in expression is not defined; attribute value: :undefined"),
            ("SET COMMENT = :v", "Attribute name is a reserved keyword; reserved keyword: COMMENT"),
            ("SET #list[0].COMMENT = :v", "Attribute name is a reserved keyword; reserved keyword: COMMENT"),
            ("SET #x = :v", "An expression attribute name used in the document path is not defined; attribute name: #x"),
            ("SET a = :x", "An expression attribute value used in expression is not defined; attribute value: :x"),
            ("SET a = ((b))", "The expression has redundant parentheses;"),
        ]
        for (text, message) in cases {
            XCTAssertEqual(updateError(text, names: ["#a1": "a", "#a2": "a", "#list": "list"]), "Invalid UpdateExpression: \(message)", text)
        }
    }

    func testUpdateChecksOverlapsBeforeValuesAndValuesFromTheLastAction() {
        // Overlap comes before an undefined value...
        XCTAssertEqual(updateError("SET a = :undefined, a = :v"),
                       "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]")
        // ...and actions are checked from the last one back.
        XCTAssertEqual(updateError("SET a = :x1, b = :x2"),
                       "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :x2")
        // Undefined names in written paths come before overlaps.
        XCTAssertEqual(updateError("SET a = :v, a = :w, #q = :v"),
                       "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #q")
    }

    func testUpdateAcceptsCaseWhitespaceAndParentheses() {
        for text in ["set b = :v", "  sEt   b=:v  ", "REMOVE a SET b = :v", "SET b = (:n + :delta)", "SET b = (b) + :n",
                     "SET a = list_append(if_not_exists(a, :l), :l)", "SET a = if_not_exists(b, if_not_exists(c, :v))",
                     "SET b = if_not_exists(b, :n) + :delta", "ADD s :ss, n :n DELETE t :ns", "SET #a1 = #a2"] {
            XCTAssertEqual(updateError(text, names: ["#a1": "x", "#a2": "y"]), "<no error>", text)
        }
    }

    func testProjectionErrors() {
        XCTAssertEqual(projectionError("a, a.b"), "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]")
        XCTAssertEqual(projectionError("a.b, a[0]"), "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]")
        XCTAssertEqual(projectionError("list[0].c"), "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: list")
        XCTAssertEqual(projectionError("#c"), "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #c")
        XCTAssertEqual(projectionError("a, :v"), #"Invalid ProjectionExpression: Syntax error; token: ":v", near: ", :v""#)
        XCTAssertEqual(projectionError("a[0], a[1], b.c, b.d"), "<no error>")
    }
}
