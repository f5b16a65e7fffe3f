import Foundation
import XCTest
@testable import Wire

#if canImport(FoundationXML)
import FoundationXML
#endif

final class XMLControlCharacterTests: XCTestCase {
    /// XML 1.0 cannot carry C0 controls even as references; the document must still parse.
    func testControlCharactersAreReplacedSoTheDocumentParses() throws {
        var xml = XMLWriter()
        xml.open("Root")
        xml.element("Message", "Unknown Attribute a\u{1}b\u{FFFF}c<&>.")
        xml.close("Root")
        let text = String(decoding: xml.bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("a\u{FFFD}b\u{FFFD}c&lt;&amp;&gt;."), text)
        let parser = XMLParser(data: Data(xml.bytes))
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    func testTabsAndNewlinesSurvive() {
        var xml = XMLWriter(declaration: false)
        xml.element("B", "a\tb\nc")
        XCTAssertEqual(String(decoding: xml.bytes, as: UTF8.self), "<B>a\tb\nc</B>")
    }
}
