import JSON
import XCTest
@testable import States

/// The standard library, a table per family; results as jsonata-js gives them.
final class JSONataFunctionTests: XCTestCase {
    func testStringFunctions() {
        assertJSONata("address", [
            ("$string(5)", "\"5\""), ("$string(0.1 + 0.2)", "\"0.3\""), ("$string(1e21)", "\"1e+21\""), ("$string(true)", "\"true\""),
            ("$string(null)", "\"null\""), ("$string('x')", "\"x\""), ("$string([1,'a',{'b':null}])", #""[1,\"a\",{\"b\":null}]""#),
            ("$string({'a': 1, 'b': [true]}, true)", #""{\n  \"a\": 1,\n  \"b\": [\n    true\n  ]\n}""#),
            ("$string(nothing)", "undefined"), ("$string(1/3)", "\"0.333333333333333\""), ("Age.$string()", "\"28\""),
            ("$length('hello')", "5"), ("$length('')", "0"), ("$length('😀a')", "2"), ("FirstName.$length()", "4"),
            ("$substring('hello world', 3)", "\"lo world\""), ("$substring('hello world', 3, 5)", "\"lo wo\""),
            ("$substring('hello world', -4)", "\"orld\""), ("$substring('hello world', -4, 2)", "\"or\""),
            ("$substring('hello', 10)", "\"\""), ("$substring('hello', 1, -1)", "\"\""), ("$substring('hello', -10, 3)", "\"hel\""),
            ("$substringBefore('hello world', ' ')", "\"hello\""), ("$substringBefore('hello', 'x')", "\"hello\""),
            ("$substringAfter('hello world', ' ')", "\"world\""), ("$substringAfter('hello', 'x')", "\"hello\""),
            ("$uppercase('Hello')", "\"HELLO\""), ("$lowercase('HeLLo')", "\"hello\""), ("$uppercase(nothing)", "undefined"),
            ("$trim('  a   b \\n c  ')", "\"a b c\""), ("$trim('')", "\"\""),
            ("$pad('foo', 5)", "\"foo  \""), ("$pad('foo', -5)", "\"  foo\""), ("$pad('foo', -5, '#')", "\"##foo\""),
            ("$pad('5', 3, '0')", "\"500\""), ("$pad('foo', 2)", "\"foo\""), ("$pad('x', 6, 'ab')", "\"xababa\""),
            ("$contains('abracadabra', 'bra')", "true"), ("$contains('abracadabra', 'xyz')", "false"),
            ("$contains('abracadabra', /a.*a/)", "true"), ("$contains('abracadabra', /ar.*a/)", "false"),
            ("$contains('Hello', /hello/i)", "true"), ("Phone[$contains(number, /^077/)].type", "\"mobile\""),
            ("$split('so many words', ' ')", #"["so","many","words"]"#), ("$split('so many words', ' ', 2)", #"["so","many"]"#),
            ("$split('too much, punctuation. hard; to read', /[ ,.;]+/)", #"["too","much","punctuation","hard","to","read"]"#),
            ("$split('abc', '')", #"["a","b","c"]"#), ("$split('a,b', ',', 0)", "[]"), ("$split('', ',')", #"[""]"#),
            ("$join(['a','b','c'])", "\"abc\""), ("$join(['a','b','c'], ', ')", "\"a, b, c\""), ("$join([], '-')", "\"\""),
            ("$join(Phone.type, '|')", "\"home|office|office|mobile\""), ("$join('one')", "\"one\""),
            ("$match('ababbabbcc', /a(b+)/)",
             #"[{"match":"ab","index":0,"groups":["b"]},{"match":"abb","index":2,"groups":["bb"]},{"match":"abb","index":5,"groups":["bb"]}]"#),
            ("$match('ababbabbcc', /a(b+)/, 1)", #"{"match":"ab","index":0,"groups":["b"]}"#),
            ("$match('xyz', /a/)", "undefined"), ("$match('2024-01-05', /(\\d+)-(\\d+)-(\\d+)/).groups", #"["2024","01","05"]"#),
            ("$replace('John Smith and John Jones', 'John', 'Mr')", "\"Mr Smith and Mr Jones\""),
            ("$replace('John Smith and John Jones', 'John', 'Mr', 1)", "\"Mr Smith and John Jones\""),
            ("$replace('abracadabra', /a.*?a/, '*')", "\"*c*bra\""), ("$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')", "\"Smith, John\""),
            ("$replace('265USD', /([0-9]+)USD/, '$$$1')", "\"$265\""), ("$replace('abc', /b/, '[$0]')", "\"a[b]c\""),
            ("$replace('temperature = 68F today', /(\\d+)F/, function($m) { $string($round(($number($m.groups[0]) - 32) * 5 / 9)) & 'C' })",
             "\"temperature = 20C today\""),
            ("$replace('aaa', 'a', 'b', 2)", "\"bba\""), ("$replace(nothing, 'a', 'b')", "undefined"),
            ("$eval('[1,2,3]')", "[1,2,3]"), ("$eval('Age + 2')", "30"), ("$eval('$ + 1', 5)", "6"), ("$eval(nothing)", "undefined"),
            ("'Hello' & ' ' & FirstName", "\"Hello Fred\""), ("$uppercase(Address.City)", "\"WINCHESTER\""),
        ])
    }

    func testEncodingFunctions() {
        assertJSONata("none", [
            ("$base64encode('myuser:mypass')", "\"bXl1c2VyOm15cGFzcw==\""), ("$base64decode('bXl1c2VyOm15cGFzcw==')", "\"myuser:mypass\""),
            ("$base64encode('')", "\"\""), ("$base64decode($base64encode('round trip'))", "\"round trip\""),
            ("$encodeUrlComponent('?x=test')", "\"%3Fx%3Dtest\""), ("$encodeUrl('https://mozilla.org/?x=шеллы')",
             "\"https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B\""),
            ("$decodeUrlComponent('%3Fx%3Dtest')", "\"?x=test\""), ("$decodeUrl('https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B')",
             "\"https://mozilla.org/?x=шеллы\""), ("$decodeUrl('%3Fa')", "\"%3Fa\""), ("$encodeUrlComponent('a b&c')", "\"a%20b%26c\""),
        ])
    }

    func testNumericFunctions() {
        assertJSONata("none", [
            ("$number('5')", "5"), ("$number('-0.05')", "-0.05"), ("$number('1e2')", "100"), ("$number(true)", "1"),
            ("$number(false)", "0"), ("$number(12)", "12"), ("$number('0x12')", "18"), ("$number('0b101')", "5"),
            ("$number('0o17')", "15"), ("$number(nothing)", "undefined"),
            ("$abs(-5)", "5"), ("$abs(5)", "5"), ("$floor(5.8)", "5"), ("$floor(-5.3)", "-6"), ("$ceil(5.1)", "6"), ("$ceil(-5.8)", "-5"),
            ("$round(123.456)", "123"), ("$round(123.456, 2)", "123.46"), ("$round(123.456, -1)", "120"), ("$round(123.456, -2)", "100"),
            ("$round(11.5)", "12"), ("$round(12.5)", "12"), ("$round(-12.5)", "-12"), ("$round(125, -1)", "120"), ("$round(0.125, 2)", "0.12"),
            ("$round(0.135, 2)", "0.14"), ("$round(2.5)", "2"), ("$round(3.5)", "4"), ("$round(-0.4)", "0"),
            ("$power(2, 8)", "256"), ("$power(2, 0.5)", "1.4142135623730951"), ("$power(2, -2)", "0.25"), ("$sqrt(4)", "2"),
            ("$sqrt(2)", "1.4142135623730951"), ("$random() < 1", "true"), ("$random() >= 0", "true"),
            ("$formatBase(100, 2)", "\"1100100\""), ("$formatBase(2555, 16)", "\"9fb\""), ("$formatBase(-255, 16)", "\"-ff\""),
            ("$formatBase(12)", "\"12\""), ("$formatBase(12.5, 2)", "\"1100\""),
            ("$formatNumber(12345.6, '#,###.00')", "\"12,345.60\""), ("$formatNumber(1234.5678, '00.000e0')", "\"12.346e2\""),
            ("$formatNumber(34.555, '#0.00;(#0.00)')", "\"34.56\""), ("$formatNumber(-34.555, '#0.00;(#0.00)')", "\"(34.56)\""),
            ("$formatNumber(0.14, '01%')", "\"14%\""), ("$formatNumber(1234.5678, '#,##0.00')", "\"1,234.57\""),
            ("$formatNumber(-6, '000')", "\"-006\""), ("$formatNumber(1234.5, '#.##0,00', {'decimal-separator': ',', 'grouping-separator': '.'})",
             "\"1.234,50\""), ("$formatNumber(0.5, '#.0')", "\".5\""), ("$formatNumber(5, '0.00')", "\"5.00\""),
            ("$formatNumber(1e6, '#,##0')", "\"1,000,000\""), ("$formatNumber(0.0042, '0.00e0')", "\"4.20e-3\""),
            ("$formatInteger(2789, 'w')", "\"two thousand, seven hundred and eighty-nine\""),
            ("$formatInteger(1999, 'I')", "\"MCMXCIX\""), ("$formatInteger(14, 'i')", "\"xiv\""), ("$formatInteger(12, '01')", "\"12\""),
            ("$formatInteger(3, '001')", "\"003\""), ("$formatInteger(1234567, '#,##0')", "\"1,234,567\""),
            ("$formatInteger(27, 'A')", "\"AA\""), ("$formatInteger(3, 'a')", "\"c\""), ("$formatInteger(21, '1;o')", "\"21st\""),
            ("$formatInteger(12, 'w;o')", "\"twelfth\""), ("$formatInteger(101, 'W')", "\"ONE HUNDRED AND ONE\""),
            ("$formatInteger(42, 'Ww')", "\"Forty-Two\""), ("$formatInteger(1000000, 'w')", "\"one million\""),
            ("$parseInteger('12,345', '#,##0')", "12345"), ("$parseInteger('MCMXCIX', 'I')", "1999"), ("$parseInteger('aa', 'a')", "27"),
            ("$parseInteger('twelve', 'w')", "12"), ("$parseInteger('two thousand, seven hundred and eighty-nine', 'w')", "2789"),
        ])
    }

    func testAggregationAndBooleanFunctions() {
        assertJSONata("account", [
            ("$sum([1,2,3])", "6"), ("$sum([])", "0"), ("$sum(5)", "5"), ("$sum(nothing)", "undefined"),
            ("$max([1,5,3])", "5"), ("$min([4,2,8])", "2"), ("$max([])", "undefined"), ("$max(-1)", "-1"),
            ("$average([1,2,3,4])", "2.5"), ("$average([])", "undefined"), ("$sum(Account.Order.Product.Quantity)", "8"),
            ("$max(Account.Order.Product.Price)", "107.99"), ("$min(Account.Order.Product.Price)", "21.67"),
            ("$round($average(Account.Order.Product.Price), 2)", "49.64"),
            ("$boolean(0)", "false"), ("$boolean(1)", "true"), ("$boolean('')", "false"), ("$boolean('0')", "true"),
            ("$boolean(null)", "false"), ("$boolean([])", "false"), ("$boolean([0])", "false"), ("$boolean([0, 1])", "true"),
            ("$boolean([[]])", "false"), ("$boolean({})", "false"), ("$boolean({'a': 0})", "true"), ("$boolean(nothing)", "undefined"),
            ("$boolean(function(){1})", "false"), ("$not(true)", "false"), ("$not(0)", "true"), ("$not(nothing)", "undefined"),
            ("$exists(Account)", "true"), ("$exists(Nope)", "false"), ("$exists(null)", "true"), ("$exists(Account.Order[5])", "false"),
        ])
    }

    func testArrayFunctions() {
        assertJSONata("account", [
            ("$count([1,2,3])", "3"), ("$count([])", "0"), ("$count(nothing)", "0"), ("$count('a')", "1"), ("$count(Account.Order)", "2"),
            ("$append([1,2], [3,4])", "[1,2,3,4]"), ("$append(1, 2)", "[1,2]"), ("$append([1], nothing)", "[1]"),
            ("$append(nothing, 2)", "2"), ("$append([1], [[2]])", "[1,[2]]"),
            ("$sort([3,1,2])", "[1,2,3]"), ("$sort(['b','c','a'])", #"["a","b","c"]"#), ("$sort([5])", "[5]"), ("$sort(nothing)", "undefined"),
            ("$sort(Account.Order.Product, function($a, $b) { $a.Price > $b.Price }).Price", "[21.67,34.45,34.45,107.99]"),
            ("$sort([{'n':2,'v':'a'},{'n':1,'v':'b'},{'n':2,'v':'c'}], function($l,$r){$l.n > $r.n}).v", #"["b","a","c"]"#),
            ("$reverse([1,2,3])", "[3,2,1]"), ("$reverse(['x'])", #"["x"]"#), ("$reverse(nothing)", "undefined"),
            ("$count($shuffle([1,2,3,4]))", "4"), ("$sort($shuffle([3,1,2]))", "[1,2,3]"),
            ("$distinct([1,2,2,3,1])", "[1,2,3]"), ("$distinct(['a','b','a'])", #"["a","b"]"#), ("$distinct([[1],[1],{'a':1},{'a':1}])", #"[[1],{"a":1}]"#),
            ("$distinct(5)", "5"), ("$zip([1,2,3],[4,5,6])", "[[1,4],[2,5],[3,6]]"), ("$zip([1,2,3],[4,5],[7,8,9])", "[[1,4,7],[2,5,8]]"),
            ("$zip([1], [])", "[]"), ("$zip(1, 2)", "[[1,2]]"),
        ])
    }

    func testObjectFunctions() {
        assertJSONata("address", [
            ("$keys(Address)", #"["Street","City","Postcode"]"#), ("$keys(Phone)", #"["type","number"]"#), ("$keys({'a':1})", "\"a\""),
            ("$keys('x')", "undefined"), ("$keys({})", "undefined"),
            ("$lookup(Address, 'City')", "\"Winchester\""), ("$lookup(Phone, 'type')", #"["home","office","office","mobile"]"#),
            ("$lookup(Address, 'Nope')", "undefined"), ("$lookup({'a b': 1}, 'a b')", "1"),
            ("$spread({'a':1,'b':2})", #"[{"a":1},{"b":2}]"#), ("$spread([{'a':1},{'b':2,'c':3}])", #"[{"a":1},{"b":2},{"c":3}]"#),
            ("$spread('x')", "\"x\""), ("$merge([{'a':1},{'b':2},{'a':3}])", #"{"a":3,"b":2}"#), ("$merge([])", "{}"),
            ("$merge({'a':1})", #"{"a":1}"#), ("$merge(nothing)", "undefined"),
            ("$sift(Address, function($v, $k) { $k ~> /^S/ })", #"{"Street":"Hursley Park"}"#),
            ("$sift({'a':1,'b':2,'c':3}, function($v) { $v > 1 })", #"{"b":2,"c":3}"#), ("$sift({'a':1}, function($v) { $v > 5 })", "undefined"),
            ("$each(Address, function($v, $k) { $k & ': ' & $v })", #"["Street: Hursley Park","City: Winchester","Postcode: SO21 2JN"]"#),
            ("$each({'a':1}, function($v) { $v * 2 })", "2"),
            ("$type(1)", "\"number\""), ("$type('a')", "\"string\""), ("$type(true)", "\"boolean\""), ("$type(null)", "\"null\""),
            ("$type([])", "\"array\""), ("$type({})", "\"object\""), ("$type($sum)", "\"function\""), ("$type(nothing)", "undefined"),
            ("$assert(true, 'fine')", "undefined"), ("$assert(1 = 1)", "undefined"),
        ])
    }

    func testHigherOrderFunctions() {
        assertJSONata("account", [
            ("$map([1,2,3], function($v) { $v * 2 })", "[2,4,6]"), ("$map([1,2,3], function($v, $i) { $v * $i })", "[0,2,6]"),
            ("$map([1,2], function($v, $i, $a) { $count($a) })", "[2,2]"), ("$map([], function($v) { $v })", "undefined"),
            ("$map(['a','b'], $uppercase)", #"["A","B"]"#), ("$map([1,2,3], function($v) { $v > 1 ? $v : nothing })", "[2,3]"),
            ("$map(5, function($v) { $v + 1 })", "6"), ("$map([1.5, 2.5], $round)", "[2,2.5]"), ("$map([1, 2], function($v) { $string($v) })", #"["1","2"]"#),
            ("$filter([1,2,3,4], function($v) { $v % 2 = 0 })", "[2,4]"), ("$filter([1,2,3], function($v, $i) { $i > 0 })", "[2,3]"),
            ("$filter(Account.Order.Product, function($p) { $p.Price > 100 }).SKU", "\"0406654603\""),
            ("$filter([1,2], function($v) { $v > 5 })", "undefined"),
            ("$single([1,2,3], function($v) { $v = 2 })", "2"), ("$single([7])", "7"),
            ("$reduce([1,2,3,4], function($acc, $v) { $acc + $v })", "10"), ("$reduce([1,2,3], function($acc, $v) { $acc * $v }, 10)", "60"),
            ("$reduce([], function($a, $b) { $a + $b })", "undefined"), ("$reduce([], function($a, $b) { $a + $b }, 0)", "0"),
            ("$reduce([1,2,3], function($acc, $v, $i) { $acc + $i })", "4"),
            ("$reduce(Account.Order.Product.Quantity, function($a, $b) { $a + $b })", "8"),
            ("Account.Order.Product.Price ~> $map(function($p) { $p * 2 }) ~> $sum()", "397.12"),
            ("($twice := function($f) { function($x) { $f($f($x)) } }; $twice(function($n) { $n + 3 })(1))", "7"),
            ("($compose := $uppercase ~> $trim; $compose('  hi  '))", "\"HI\""),
        ])
    }

    func testDateTimeFunctions() throws {
        assertJSONata("none", [
            ("$fromMillis(0)", "\"1970-01-01T00:00:00.000Z\""), ("$fromMillis(1510067557121)", "\"2017-11-07T15:12:37.121Z\""),
            ("$fromMillis(1510067557121, '[Y0001]-[M01]-[D01]')", "\"2017-11-07\""),
            ("$fromMillis(1510067557121, '[H01]:[m01]:[s01].[f001]')", "\"15:12:37.121\""),
            ("$fromMillis(1510067557121, '[D1o] [MNn] [Y]')", "\"7th November 2017\""),
            ("$fromMillis(1510067557121, '[FNn], [D] [MNn,*-3] [Y]')", "\"Tuesday, 7 Nov 2017\""),
            ("$fromMillis(1510067557121, '[h]:[m01] [P]')", "\"3:12 pm\""),
            ("$fromMillis(1510067557121, '[H01]:[m01] [Z01:01]', '+0530')", "\"20:42 +05:30\""),
            ("$fromMillis(1510067557121, '[Y]-[M]-[D] [H]:[m]', '-0500')", "\"2017-11-7 10:12\""),
            ("$fromMillis(1510067557121, '[MNn] [YI]')", "\"November MMXVII\""), ("$fromMillis(1510067557121, '[dwo]')", "\"three hundred and eleventh\""),
            ("$fromMillis(1510067557121, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z]')", "\"2017-11-07T15:12:37+00:00\""),
            ("$fromMillis(-86400000)", "\"1969-12-31T00:00:00.000Z\""), ("$fromMillis(nothing)", "undefined"),
            ("$toMillis('1970-01-01T00:00:00.001Z')", "1"), ("$toMillis('2017-11-07T15:12:37.121Z')", "1510067557121"),
            ("$toMillis('2017-11-07')", "1510012800000"), ("$toMillis('2017-11-07T15:12:37+01:00')", "1510063957000"),
            ("$toMillis('2017-11-07T15:12:37.121Z') ~> $fromMillis()", "\"2017-11-07T15:12:37.121Z\""),
            ("$toMillis('07/11/2017', '[D01]/[M01]/[Y0001]')", "1510012800000"),
            ("$toMillis('2017-11-07 15:12', '[Y]-[M]-[D] [H]:[m]')", "1510067520000"),
            ("$toMillis('7 November 2017', '[D] [MNn] [Y]')", "1510012800000"), ("$toMillis(nothing)", "undefined"),
        ])
        let start = Date()
        let now = try JSONataExpression("$now()").evaluate(nil)?.stringValue ?? ""
        XCTAssertTrue(now.hasSuffix("Z") && now.count == 24, now)
        let millis = try JSONataExpression("$millis()").evaluate(nil)?.intValue ?? 0
        XCTAssertLessThan(abs(Double(millis) / 1000 - start.timeIntervalSince1970), 5)
        XCTAssertEqual(try JSONataExpression("$millis() = $millis() and $now() = $now()").evaluate(nil), .bool(true))
        XCTAssertEqual(try JSONataExpression("$toMillis($now()) = $millis()").evaluate(nil), .bool(true))
        XCTAssertEqual(try JSONataExpression("$now('[Y0001]')").evaluate(nil)?.stringValue?.count, 4)
    }
}
