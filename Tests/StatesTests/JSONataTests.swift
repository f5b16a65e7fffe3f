import JSON
import XCTest
@testable import States

/// The JSONata language: literals, paths, sequences, predicates, operators,
/// constructors, grouping, sorting, variables, functions and errors.
final class JSONataTests: XCTestCase {
    func testLiterals() {
        assertJSONata("none", [
            ("42", "42"), ("-42", "-42"), ("3.14", "3.14"), ("1e3", "1000"), ("1.5e-7", "1.5e-7"), ("1e21", "1e+21"),
            ("\"hello\"", "\"hello\""), ("'single'", "\"single\""), ("\"a\\nb\"", "\"a\\nb\""), ("\"\\u00e9\"", "\"é\""),
            ("true", "true"), ("false", "false"), ("null", "null"), ("[]", "[]"), ("{}", "{}"),
            ("/* comment */ 1", "1"), ("0.1 + 0.2", "0.30000000000000004"), ("10 / 4", "2.5"), ("2 * 3.0", "6"),
            ("123456789012345678", "123456789012345680"), ("1/3", "0.3333333333333333"),
        ])
    }

    func testPaths() {
        assertJSONata("address", [
            ("FirstName", "\"Fred\""), ("Address.City", "\"Winchester\""), ("Other.Misc", "null"),
            ("Other.`Over 18 ?`", "true"), ("Other.`Alternative.Address`.City", "\"London\""),
            ("Phone.number", #"["0203 544 1234","01962 001234","01962 001235","077 7700 1234"]"#),
            ("Phone[0].number", "\"0203 544 1234\""), ("Phone[-1].number", "\"077 7700 1234\""),
            ("Phone[[1..2]].number", #"["01962 001234","01962 001235"]"#),
            ("Phone[type='office'].number", #"["01962 001234","01962 001235"]"#),
            ("Phone[type='mobile'].number", "\"077 7700 1234\""), ("Phone[type='mobile'][].number", #"["077 7700 1234"]"#),
            ("Phone[type='mobile'].number[]", #"["077 7700 1234"]"#), ("Phone[8]", "undefined"),
            ("Email.address", #"["fred.smith@my-work.com","fsmith@my-work.com","freddy@my-social.com","frederic.smith@very-serious.com"]"#),
            ("Email[type='home'].address[0]", "\"freddy@my-social.com\""), ("Email.address[0]", #"["fred.smith@my-work.com","freddy@my-social.com"]"#),
            ("(Email.address)[0]", "\"fred.smith@my-work.com\""), ("Missing", "undefined"), ("Missing.deeper", "undefined"),
            ("Address.*", #"["Hursley Park","Winchester","SO21 2JN"]"#), ("*.City", "\"Winchester\""),
            ("Address.`City`", "\"Winchester\""), ("$.FirstName", "\"Fred\""), ("$$.Surname", "\"Smith\""),
            ("Phone[0]", #"{"type":"home","number":"0203 544 1234"}"#), ("Phone[0].type[]", #"["home"]"#),
            ("Phone[type='office'][1].number", "\"01962 001235\""), ("Phone[number][0].type", "\"home\""),
            ("Phone[type='x'].number", "undefined"),
        ])
        assertJSONata("nested", [
            ("foo.bar", "42"), ("foo.blah.baz.fud", #"["hello","world"]"#), ("foo.`blah.baz`", "\"here\""),
            ("foo.blah[0].baz.fud", "\"hello\""), ("foo.blah.bazz", "\"gotcha\""), ("**.fud", #"["hello","world"]"#),
            ("foo.*.baz.fud", #"["hello","world"]"#), ("foo.blah[baz].baz.fud", #"["hello","world"]"#),
            ("foo.blah[-1].bazz", "\"gotcha\""), ("bar + foo.bar", "140"),
        ])
        assertJSONata(#"[1, 2, [3, 4], {"a": 5}]"#, [
            ("$", "[1,2,[3,4],{\"a\":5}]"), ("$[0]", "1"), ("$[2]", "[3,4]"), ("$[2][1]", "4"), ("a", "5"),
            ("$[-1].a", "5"), ("$count($)", "4"),
        ])
        assertJSONata(#"[{"a": [1, 2]}, {"a": [3]}, {"a": 4}]"#, [
            ("a", "[1,2,3,4]"), ("a[0]", "1"), ("$.a", "[1,2,3,4]"), ("a[]", "[1,2,3,4]"), ("$[1].a", "[3]"),
        ])
    }

    func testAccountPaths() {
        assertJSONata("account", [
            ("Account.Order[0].OrderID", "\"order103\""),
            ("Account.Order.Product.Price", "[34.45,21.67,34.45,107.99]"),
            ("$sum(Account.Order.Product.(Price * Quantity))", "336.36"),
            ("Account.Order.Product[Price > 30].`Product Name`", #"["Bowler Hat","Bowler Hat","Cloak"]"#),
            ("Account.Order.Product.`Product Name`[0]", #"["Bowler Hat","Trilby hat","Bowler Hat","Cloak"]"#),
            ("Account.Order.Product[0].`Product Name`", #"["Bowler Hat","Bowler Hat"]"#),
            ("(Account.Order.Product)[0].`Product Name`", "\"Bowler Hat\""),
            ("Account.Order[OrderID='order104'].Product.SKU", #"["040657863","0406654603"]"#),
            ("Account.Order.Product{`Product Name`: Price}", #"{"Bowler Hat":[34.45,34.45],"Trilby hat":21.67,"Cloak":107.99}"#),
            ("Account.Order.Product{`Product Name`: $sum(Price)}", #"{"Bowler Hat":68.9,"Trilby hat":21.67,"Cloak":107.99}"#),
            ("Account.Order{OrderID: $round($sum(Product.(Price*Quantity)), 2)}", #"{"order103":90.57,"order104":245.79}"#),
            ("Account.Order.Product^(Price).`Product Name`", #"["Trilby hat","Bowler Hat","Bowler Hat","Cloak"]"#),
            ("Account.Order.Product^(>Price, Quantity).SKU", #"["0406654603","0406654608","040657863","0406634348"]"#),
            ("Account.Order.Product^(>Price, >Quantity).SKU", #"["0406654603","040657863","0406654608","0406634348"]"#),
            ("Account.Order.Product.{'name': `Product Name`, 'order': %.OrderID}",
             #"[{"name":"Bowler Hat","order":"order103"},{"name":"Trilby hat","order":"order103"},{"name":"Bowler Hat","order":"order104"},{"name":"Cloak","order":"order104"}]"#),
            ("Account.Order.Product.%.OrderID", #"["order103","order103","order104","order104"]"#),
            ("Account.Order.(Product).{'sku': SKU, 'o': %.OrderID}[3]", #"{"sku":"0406654603","o":"order104"}"#),
            ("Account.(Order.Product).{'o': %.OrderID}.o", #"["order103","order103","order104","order104"]"#),
            ("Account.Order.Product[%.OrderID='order104'].SKU", #"["040657863","0406654603"]"#),
            ("Account.Order.Product.Description.%.%.OrderID", #"["order103","order103","order104","order104"]"#),
            ("Account.Order#$i.Product.{'i': $i, 'sku': SKU}",
             #"[{"i":0,"sku":"0406654608"},{"i":0,"sku":"0406634348"},{"i":1,"sku":"040657863"},{"i":1,"sku":"0406654603"}]"#),
            ("Account.Order@$o.$o.Product.{'o': $o.OrderID, 'p': `Product Name`}",
             #"[{"o":"order103","p":"Bowler Hat"},{"o":"order103","p":"Trilby hat"},{"o":"order104","p":"Bowler Hat"},{"o":"order104","p":"Cloak"}]"#),
            ("Account.Order.Product#$i[$i = 0].SKU", #"["0406654608","040657863"]"#),
            ("$count(Account.Order.Product)", "4"), ("Account.Order.Product.Description.Colour[1]", "undefined"),
            ("Account.Order[1].Product[-1].Description.Weight", "2"),
            ("Account.Order.Product[Description.Colour='Purple'][Quantity > 2].SKU", "\"040657863\""),
            ("Account.Order.Product.(Price * Quantity)", "[68.9,21.67,137.8,107.99]"),
            ("$distinct(Account.Order.Product.`Product Name`)", #"["Bowler Hat","Trilby hat","Cloak"]"#),
            ("Account.Order.Product[$contains(`Product Name`, 'Hat')].ProductID", "[858383,858383]"),
        ])
    }

    func testLibraryJoins() {
        assertJSONata("library", [
            ("library.loans@$l.books@$b[$l.isbn=$b.isbn].{'title': $b.title, 'customer': $l.customer}",
             #"[{"title":"Structure and Interpretation of Computer Programs","customer":"10001"},{"title":"Compilers: Principles, Techniques, and Tools","customer":"10003"},{"title":"Structure and Interpretation of Computer Programs","customer":"10003"}]"#),
            ("library.books#$i[$i < 2].title", #"["Structure and Interpretation of Computer Programs","The C Programming Language"]"#),
            ("library.books[price > 30].title", #"["Structure and Interpretation of Computer Programs","The C Programming Language"]"#),
            ("library.books[\"Aho\" in authors].title", #"["The AWK Programming Language","Compilers: Principles, Techniques, and Tools"]"#),
            ("$count(library.books[price])", "0"), ("$count(library.books[$exists(price)])", "3"),
            ("library.books{authors[0]: $count(title)}", #"{"Abelson":1,"Kernighan":1,"Aho":2}"#),
            ("library.customers[address.city='Winchester'].name", #"["Joe Doe","Fred Bloggs"]"#),
            ("library.books^(>copies)[0].isbn", "\"9780131103627\""),
            ("library.books.authors[0]", #"["Abelson","Kernighan","Aho","Aho"]"#),
            ("library.books[0].authors[-1]", "\"Sussman\""),
        ])
    }

    func testOperators() {
        assertJSONata("none", [
            ("1 + 2", "3"), ("5 - 8", "-3"), ("3 * 4", "12"), ("7 / 2", "3.5"), ("7 % 3", "1"), ("-7 % 3", "-1"),
            ("2 + 3 * 4", "14"), ("(2 + 3) * 4", "20"), ("-(1 + 2)", "-3"), ("10 - 2 - 3", "5"), ("2 * -3", "-6"),
            ("1 = 1", "true"), ("1 = 2", "false"), ("1 != 2", "true"), ("'a' = 'a'", "true"), ("'a' = 1", "false"),
            ("1 < 2", "true"), ("2 <= 2", "true"), ("3 > 4", "false"), ("4 >= 4", "true"), ("'a' < 'b'", "true"),
            ("'B' < 'a'", "true"), ("true and false", "false"), ("true or false", "true"), ("false or 0", "false"),
            ("1 and 'x'", "true"), ("'' or []", "false"), ("'a' & 'b'", "\"ab\""), ("'a' & 1", "\"a1\""),
            ("1 & true & null", "\"1truenull\""), ("'x' & [1,2]", "\"x[1,2]\""), ("'x' & {'a':1}", "\"x{\\\"a\\\":1}\""),
            ("1 in [1,2]", "true"), ("3 in [1,2]", "false"), ("'a' in 'a'", "true"), ("[1..5]", "[1,2,3,4,5]"),
            ("[1..3, 7, 9..10]", "[1,2,3,7,9,10]"), ("[5..1]", "[]"), ("[0..0]", "[0]"), ("true ? 1 : 2", "1"),
            ("false ? 1 : 2", "2"), ("false ? 1", "undefined"), ("[] ? 'y' : 'n'", "\"n\""), ("'x' ?: 'y'", "\"x\""),
            ("'' ?: 'y'", "\"y\""), ("null ?? 5", "null"), ("nothing ?? 5", "5"), ("[1,2] = [1,2]", "true"),
            ("{'a':1} = {'a':1}", "true"), ("{'a':1} = {'a':2}", "false"), ("1.5 * 2", "3"), ("0.1 * 3", "0.30000000000000004"),
            ("nothing + 1", "undefined"), ("nothing = 1", "false"), ("nothing != 1", "false"), ("nothing < 1", "undefined"),
            ("nothing & 'a'", "\"a\""), ("1 = nothing", "false"), ("nothing and true", "false"), ("nothing or true", "true"),
            ("5 % 2.5", "0"), ("2 * 1e300 * 1e-300", "2"), ("'10' < '9'", "true"), ("1 in nothing", "false"),
        ])
    }

    func testConstructors() {
        assertJSONata("address", [
            ("{'name': FirstName & ' ' & Surname, 'age': Age}", #"{"name":"Fred Smith","age":28}"#),
            ("{'missing': Nope, 'x': 1}", #"{"x":1}"#), ("[FirstName, Surname]", #"["Fred","Smith"]"#),
            ("[Phone.type]", #"["home","office","office","mobile"]"#), ("[[1,2],[3]]", "[[1,2],[3]]"),
            ("[1, [2, 3]]", "[1,[2,3]]"), ("[Nope]", "[]"), ("Phone.{type: number}",
             #"[{"home":"0203 544 1234"},{"office":"01962 001234"},{"office":"01962 001235"},{"mobile":"077 7700 1234"}]"#),
            ("Phone{type: number}", #"{"home":"0203 544 1234","office":["01962 001234","01962 001235"],"mobile":"077 7700 1234"}"#),
            ("Phone{type: $count(number)}", #"{"home":1,"office":2,"mobile":1}"#),
            ("Phone.[type]", #"[["home"],["office"],["office"],["mobile"]]"#), ("{'a': [1]}", #"{"a":[1]}"#),
            ("{'n': {'deep': [1, {'x': true}]}}", #"{"n":{"deep":[1,{"x":true}]}}"#), ("[1,2,3][1]", "2"),
            ("[1,2,3][-1]", "3"), ("[1,2,3][$ > 1]", "[2,3]"), ("[1,2,3][[0,2]]", "[1,3]"), ("{}.a", "undefined"),
            ("Address.{'city': City, 'street': Street}", #"{"city":"Winchester","street":"Hursley Park"}"#),
        ])
    }

    func testVariablesBlocksAndLambdas() {
        assertJSONata("address", [
            ("($x := 5; $x * 2)", "10"), ("($a := 1; $b := $a + 1; [$a, $b])", "[1,2]"), ("$x := 3", "3"),
            ("($f := function($n) { $n * $n }; $f(4))", "16"),
            ("($fact := function($n) { $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(10))", "3628800"),
            ("($add := function($a, $b) { $a + $b }; $add(2, 3))", "5"),
            ("($mk := function($k) { function($v) { $v + $k } }; $mk(10)(5))", "15"),
            ("($add := function($a, $b){$a+$b}; $inc := $add(?, 1); $inc(41))", "42"),
            ("($s := $substring(?, 0, 3); $s('hello'))", "\"hel\""),
            ("FirstName ~> $uppercase()", "\"FRED\""), ("'hello' ~> $substring(1, 2)", "\"el\""),
            ("($f := $uppercase ~> $substringBefore(?, 'D'); $f('fred'))", "\"FRE\""),
            ("[1,2,3] ~> $map(function($v) { $v * 10 })", "[10,20,30]"),
            ("λ($x){$x+1}(2)", "3"), ("function($x){$x+1}(2)", "3"), ("($x := 1; ($x := 2); $x)", "1"),
            ("(FirstName; Surname)", "\"Smith\""), ("()", "undefined"), ("$states.input.id", "7"),
            ("($f := function($x)<n:n>{$x*2}; $f(4))", "8"), ("($v := [1,2]; $v[1])", "2"),
            ("Phone.($t := type; number & ' (' & $t & ')')[0]", #"["0203 544 1234 (home)","01962 001234 (office)","01962 001235 (office)","077 7700 1234 (mobile)"]"#),
            ("$string($uppercase)", "\"\""), ("$type(function(){1})", "\"function\""),
            ("($fib := function($n) { $n < 2 ? $n : $fib($n-1) + $fib($n-2) }; $fib(15))", "610"),
        ])
    }

    func testErrors() {
        assertJSONataErrors("address", [
            ("'a' + 1", "T2001"), ("1 + 'a'", "T2002"), ("-'x'", "D1002"), ("1 < 'a'", "T2009"), ("{} < 1", "T2010"),
            ("[1..'a']", "T2004"), ("['a'..2]", "T2003"), ("[1.5..3]", "T2003"), ("[1..20000000]", "D2014"),
            ("$nope()", "T1006"), ("FirstName()", "T1006"), ("1 ~> 2", "T2006"), ("$string(1/0)", "D3001"),
            ("$number('abc')", "D3030"), ("$number('  1')", "D3030"), ("$number('1.')", "D3030"), ("$sqrt(-1)", "D3060"), ("$power(10, 1000)", "D3061"),
            ("$substring(1, 2)", "T0411"), ("$uppercase(1)", "T0410"), ("$sum(['a'])", "T0412"),
            ("$sum(1, 2)", "T0410"), ("$join([1,2])", "T0412"), ("$error('boom')", "D3137"),
            ("$assert(false, 'bad')", "D3141"), ("$single([1,2])", "D3138"), ("$single([])", "D3139"),
            ("$sort([1,'a'])", "D3070"), ("$reduce([1], function($a){$a})", "D3050"), ("{1: 2}", "T1003"),
            ("Phone{type: number, 'home': 1}", "D1009"), ("$formatBase(10, 40)", "D3100"),
            ("$toMillis('not a date')", "D3110"), ("$split('a', ',', -1)", "D3020"), ("$replace('a', '', 'b')", "D3010"),
            ("$match('aaa', /a*/)", "D1004"), ("$eval('1 +')", "D3120"), ("Phone^({})", "T2008"),
            ("[1, 'a']^($)", "T2007"), ("$lookup(1)", "T0410"), ("$decodeUrlComponent('%')", "D3140"),
            ("($f := function($n) { $f($n + 1) }; $f(0))", "U1001"), ("$map([1], 'x')", "T0410"), ("$map([1, 2], $string)", "T0410"),
        ])
        assertJSONataErrors("none", [
            ("1 +", "S0207"), ("(1", "S0203"), ("[1, 2", "S0203"), ("{'a' 1}", "S0202"), ("'abc", "S0101"),
            ("\"\\q\"", "S0103"), ("`abc", "S0105"), ("/* abc", "S0106"), ("1 2", "S0201"), ("foo.1", "S0213"),
            ("function(x){x}", "S0208"), ("1 := 2", "S0212"), ("a@b", "S0214"), ("a#1", "S0214"), ("]", "S0211"),
            ("$x := ", "S0207"), ("a{'x':1}{'y':2}", "S0210"), ("/(/", "S0302"), ("//", "S0301"), ("%.a", "S0217"), ("%", "S0217"), ("Phone[1..2]", "S0202"),
            ("\"\\u12\"", "S0104"), ("1e999", "S0102"),
        ])
    }

    func testErrorDetails() throws {
        do {
            _ = try JSONataExpression("\"a\" + 1").evaluate(nil)
            XCTFail("expected T2001")
        } catch let error as JSONataError {
            XCTAssertEqual(error.code, "T2001")
            XCTAssertEqual(error.position, 5)
            XCTAssertEqual(error.token, "+")
            XCTAssertEqual(error.message, "The left side of the \"+\" operator must evaluate to a number")
        }
        do {
            _ = try JSONataExpression("$uppercase(1)").evaluate(nil)
            XCTFail("expected T0410")
        } catch let error as JSONataError {
            XCTAssertEqual(error.code, "T0410")
            XCTAssertEqual(error.message, "Argument 1 of function \"uppercase\" does not match function signature")
        }
        do {
            _ = try JSONataExpression("(1; 2").evaluate(nil)
        } catch let error as JSONataError {
            XCTAssertEqual(error.code, "S0203")
            XCTAssertEqual(error.message, "Expected \")\" before end of expression")
        }
        XCTAssertThrowsError(try JSONataExpression("$error()").evaluate(nil)) { error in
            XCTAssertEqual((error as? JSONataError)?.message, "$error() function evaluated")
        }
    }

    func testHostFunctionsAndBindings() throws {
        let expression = try JSONataExpression("{'p': $partition($states.input.items, 2), 'u': $upper2('ab'), 'none': $nothing()}")
        let functions: [String: JSONataFunction] = [
            "partition": JSONataFunction { args in
                guard case .array(let items)? = args[0], let size = args[1]?.intValue else { return nil }
                return .array(stride(from: 0, to: items.count, by: size).map { .array(Array(items[$0..<min($0 + size, items.count)])) })
            },
            "upper2": JSONataFunction { args in .string((args[0]?.stringValue ?? "").uppercased()) },
            "nothing": JSONataFunction { _ in nil },
        ]
        let result = try expression.evaluate(nil, bindings: ["states": JSONataFixtures.json(#"{"input":{"items":[1,2,3]}}"#)],
                                             functions: functions)
        XCTAssertEqual(result?.jsonString, #"{"p":[[1,2],[3]],"u":"AB"}"#)
        XCTAssertNil(try JSONataExpression("missing").evaluate(JSONataFixtures.json("{}")))
        XCTAssertEqual(try JSONataExpression("$").evaluate(nil), nil)
        XCTAssertEqual(try JSONataExpression("$v.a").evaluate(nil, bindings: ["v": ["a": 1]]), .number("1"))
    }

    func testStepFunctionsTemplate() throws {
        let expression = try JSONataExpression(
            #"{"orderId": $states.input.id, "total": $sum($states.input.items.(price * qty)), "names": $states.input.items.name}"#)
        let states = JSONataFixtures.json(#"{"input":{"id":"o-1","items":[{"name":"a","price":2.5,"qty":2},{"name":"b","price":10,"qty":1}]}}"#)
        let result = try expression.evaluate(nil, bindings: ["states": states])
        XCTAssertEqual(result?.jsonString, #"{"orderId":"o-1","total":15,"names":["a","b"]}"#)
    }

    func testRunawayRecursionIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        XCTAssertThrowsError(try JSONataExpression(deep))
        let done = expectation(description: "recursion on a small stack")
        let thread = Thread {
            var code: String? = nil
            do {
                _ = try JSONataExpression("($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))").evaluate(nil)
            } catch {
                code = (error as? JSONataError)?.code
            }
            XCTAssertEqual(code, "U1001")
            done.fulfill()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        wait(for: [done], timeout: 30)
    }
}

final class JSONataTransformTests: XCTestCase {
    func testTransformCopiesAndModifies() {
        assertJSONata("account", [
            ("($ ~> |Account.Order.Product|{'Price': Price * 2}|).Account.Order.Product.Price", "[68.9,43.34,68.9,215.98]"),
            ("($ ~> |Account.Order.Product|{}, ['Description', 'SKU']|).Account.Order[0].Product[0]",
             #"{"Product Name":"Bowler Hat","ProductID":858383,"Price":34.45,"Quantity":2}"#),
            ("($ ~> |Account.Order|{'n': $count(Product)}, 'Product'|).Account.Order",
             #"[{"OrderID":"order103","n":2},{"OrderID":"order104","n":2}]"#),
            ("($ ~> |Account.Order.Product|{'Price': 0}|; Account.Order.Product.Price)", "[34.45,21.67,34.45,107.99]"),
            ("{'a': 1} ~> |$|{'b': 2}|", #"{"a":1,"b":2}"#), ("nothing ~> |$|{'b': 2}|", "undefined"),
            ("($t := |x|{'y': true}|; [{'x': {}}, {'x': {'z': 1}}] ~> $map($t))", #"[{"x":{"y":true}},{"x":{"z":1,"y":true}}]"#),
        ])
        assertJSONataErrors("account", [("$ ~> |Account|5|", "T2011"), ("$ ~> |Account|{}, 5|", "T2012")])
    }
}

final class JSONataConcurrencyTests: XCTestCase {
    /// One parsed expression is shared by many threads at once (it is Sendable and never mutated).
    func testOneExpressionEvaluatedConcurrently() throws {
        let expression = try JSONataExpression("$sum($states.input.items.(price * qty)) & ':' & $count($map([1,2,3], function($v) { $v * $states.input.k }))")
        let failures = JSONataFailureCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<200 {
                let states: JSONValue = ["input": ["k": .integer(i), "items": [["price": .integer(worker), "qty": 2]]]]
                let result = try? expression.evaluate(nil, bindings: ["states": states])
                if result != .string("\(worker * 2):3") { failures.increment() }
            }
        }
        XCTAssertEqual(failures.value, 0)
    }
}

private final class JSONataFailureCounter: @unchecked Sendable {
    // guarded by `lock`
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
