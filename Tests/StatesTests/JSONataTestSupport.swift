import JSON
import XCTest
@testable import States

/// Shared documents and assertions for the JSONata suites. Rows are
/// (expression, expected JSON or "undefined") against a named input.
enum JSONataFixtures {
    static func json(_ text: String) -> JSONValue {
        do { return try JSONValue.parse(text) } catch { fatalError("bad test JSON \(text): \(error)") }
    }

    static let account = json(#"""
    {"Account": {"Account Name": "Firefly", "Order": [
      {"OrderID": "order103", "Product": [
        {"Product Name": "Bowler Hat", "ProductID": 858383, "SKU": "0406654608", "Description": {"Colour": "Purple", "Width": 300, "Height": 200, "Depth": 210, "Weight": 0.75}, "Price": 34.45, "Quantity": 2},
        {"Product Name": "Trilby hat", "ProductID": 858236, "SKU": "0406634348", "Description": {"Colour": "Orange", "Width": 300, "Height": 200, "Depth": 210, "Weight": 0.6}, "Price": 21.67, "Quantity": 1}]},
      {"OrderID": "order104", "Product": [
        {"Product Name": "Bowler Hat", "ProductID": 858383, "SKU": "040657863", "Description": {"Colour": "Purple", "Width": 300, "Height": 200, "Depth": 210, "Weight": 0.75}, "Price": 34.45, "Quantity": 4},
        {"ProductID": 345664, "SKU": "0406654603", "Product Name": "Cloak", "Description": {"Colour": "Black", "Width": 30, "Height": 20, "Depth": 210, "Weight": 2}, "Price": 107.99, "Quantity": 1}]}]}}
    """#)

    static let address = json(#"""
    {"FirstName": "Fred", "Surname": "Smith", "Age": 28,
     "Address": {"Street": "Hursley Park", "City": "Winchester", "Postcode": "SO21 2JN"},
     "Phone": [{"type": "home", "number": "0203 544 1234"}, {"type": "office", "number": "01962 001234"},
               {"type": "office", "number": "01962 001235"}, {"type": "mobile", "number": "077 7700 1234"}],
     "Email": [{"type": "work", "address": ["fred.smith@my-work.com", "fsmith@my-work.com"]},
               {"type": "home", "address": ["freddy@my-social.com", "frederic.smith@very-serious.com"]}],
     "Other": {"Over 18 ?": true, "Misc": null, "Alternative.Address": {"Street": "Brick Lane", "City": "London", "Postcode": "E1 6RF"}}}
    """#)

    static let nested = json(#"{"foo": {"bar": 42, "blah": [{"baz": {"fud": "hello"}}, {"baz": {"fud": "world"}}, {"bazz": "gotcha"}], "blah.baz": "here"}, "bar": 98}"#)

    static let library = json(#"""
    {"library": {
      "books": [
        {"title": "Structure and Interpretation of Computer Programs", "authors": ["Abelson", "Sussman"], "isbn": "9780262510875", "price": 38.90, "copies": 2},
        {"title": "The C Programming Language", "authors": ["Kernighan", "Richie"], "isbn": "9780131103627", "price": 33.59, "copies": 3},
        {"title": "The AWK Programming Language", "authors": ["Aho", "Kernighan", "Weinberger"], "isbn": "9780201079814", "copies": 1},
        {"title": "Compilers: Principles, Techniques, and Tools", "authors": ["Aho", "Lam", "Sethi", "Ullman"], "isbn": "9780201100884", "price": 23.38, "copies": 1}],
      "loans": [
        {"customer": "10001", "isbn": "9780262510875", "return": "2016-12-05"},
        {"customer": "10003", "isbn": "9780201100884", "return": "2016-10-22"},
        {"customer": "10003", "isbn": "9780262510875", "return": "2016-12-22"}],
      "customers": [
        {"id": "10001", "name": "Joe Doe", "address": {"street": "2 Long Road", "city": "Winchester", "postcode": "SO22 5PU"}},
        {"id": "10002", "name": "Fred Bloggs", "address": {"street": "56 Letsby Avenue", "city": "Winchester", "postcode": "SO22 4WD"}},
        {"id": "10003", "name": "Jason Arthur", "address": {"street": "1 Preddy Gate", "city": "Southampton", "postcode": "SO14 0MG"}}]}}
    """#)

    static let inputs: [String: JSONValue] = [
        "account": account, "address": address, "nested": nested, "library": library,
        "none": .null,
    ]
}

extension XCTestCase {
    /// Each row evaluates `expression` against the named input and compares the JSON text
    /// of the result; "undefined" expects no result.
    func assertJSONata(_ input: String, _ rows: [(String, String)], file: StaticString = #filePath, line: UInt = #line) {
        let document: JSONValue? = input == "undefined" ? nil : (JSONataFixtures.inputs[input] ?? JSONataFixtures.json(input))
        for (expression, expected) in rows {
            do {
                let result = try JSONataExpression(expression).evaluate(document, bindings: ["states": ["input": ["id": 7]]])
                let text = result?.jsonString ?? "undefined"
                let want = expected == "undefined" ? "undefined" : JSONataFixtures.json(expected).jsonString
                XCTAssertEqual(text, want, expression, file: file, line: line)
            } catch {
                XCTFail("\(expression): \(error)", file: file, line: line)
            }
        }
    }

    /// Each row must fail with the given JSONata error code.
    func assertJSONataErrors(_ input: String, _ rows: [(String, String)], file: StaticString = #filePath, line: UInt = #line) {
        let document: JSONValue? = input == "undefined" ? nil : (JSONataFixtures.inputs[input] ?? JSONataFixtures.json(input))
        for (expression, code) in rows {
            do {
                let result = try JSONataExpression(expression).evaluate(document)
                XCTFail("\(expression): expected \(code), got \(result?.jsonString ?? "undefined")", file: file, line: line)
            } catch let error as JSONataError {
                XCTAssertEqual(error.code, code, "\(expression): \(error)", file: file, line: line)
            } catch {
                XCTFail("\(expression): unexpected \(error)", file: file, line: line)
            }
        }
    }
}
