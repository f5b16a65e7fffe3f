import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import JSON
@testable import Wire

/// Shapes spelled like SQS's query protocol (flattened lists and maps with
/// singular names), built here so the Wire layer is tested on its own.
enum SQSLikeShapes {
    static let attributeMap = QueryShape.map(key: "Name", value: "Value", .scalar)
    static let messageAttributeValue = QueryShape.structure([
        QueryMember("StringListValues", query: "StringListValue", .list(.scalar)),
    ])
    static let messageAttributes = QueryMember("MessageAttributes", query: "MessageAttribute",
                                               .map(key: "Name", value: "Value", messageAttributeValue))
    static let createQueue = QueryShape.structure([
        QueryMember("Attributes", query: "Attribute", attributeMap),
        QueryMember("tags", query: "Tag", .map(key: "Key", value: "Value", .scalar)),
    ])
    static let getQueueAttributes = QueryShape.structure([
        QueryMember("AttributeNames", query: "AttributeName", .list(.scalar)),
    ])
    static let sendMessageBatch = QueryShape.structure([
        QueryMember("Entries", query: "SendMessageBatchRequestEntry", .list(.structure([messageAttributes]))),
    ])
}

final class QueryShapeDecodeTests: XCTestCase {
    func decode(_ shape: QueryShape, _ pairs: [(String, String)]) -> String {
        shape.decode(parameters: pairs.map { (name: $0.0, value: $0.1) }).jsonString
    }

    func testAttributeMapsBecomeObjects() {
        let json = decode(SQSLikeShapes.createQueue, [
            ("Action", "CreateQueue"), ("Version", "2012-11-05"), ("QueueName", "orders"),
            ("Attribute.1.Name", "VisibilityTimeout"), ("Attribute.1.Value", "40"),
            ("Attribute.2.Value", "5"), ("Attribute.2.Name", "DelaySeconds"),
            ("Tag.1.Key", "team"), ("Tag.1.Value", "payments"),
        ])
        XCTAssertEqual(json, #"{"QueueName":"orders","Attributes":{"VisibilityTimeout":"40","DelaySeconds":"5"},"tags":{"team":"payments"}}"#)
    }

    func testListsAndMapsAreOrderedNumericallyNotLexically() {
        let names = decode(SQSLikeShapes.getQueueAttributes, [
            ("AttributeName.10", "ten"), ("AttributeName.2", "two"), ("AttributeName.1", "one"), ("AttributeName.3", "three"),
        ])
        XCTAssertEqual(names, #"{"AttributeNames":["one","two","three","ten"]}"#)

        var pairs: [(String, String)] = []
        for i in [10, 2, 1] {
            pairs += [("Attribute.\(i).Name", "N\(i)"), ("Attribute.\(i).Value", "V\(i)")]
        }
        XCTAssertEqual(decode(SQSLikeShapes.createQueue, pairs), #"{"Attributes":{"N1":"V1","N2":"V2","N10":"V10"}}"#)
    }

    func testNestedBatchEntriesWithMessageAttributes() {
        let json = decode(SQSLikeShapes.sendMessageBatch, [
            ("QueueUrl", "http://localhost:4566/000000000000/q"),
            ("SendMessageBatchRequestEntry.2.Id", "b"),
            ("SendMessageBatchRequestEntry.2.MessageBody", "second"),
            ("SendMessageBatchRequestEntry.1.Id", "a"),
            ("SendMessageBatchRequestEntry.1.MessageBody", "first"),
            ("SendMessageBatchRequestEntry.1.DelaySeconds", "3"),
            ("SendMessageBatchRequestEntry.1.MessageAttribute.1.Name", "color"),
            ("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue", "red"),
            ("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType", "String"),
            ("SendMessageBatchRequestEntry.1.MessageAttribute.2.Name", "tags"),
            ("SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.DataType", "String.list"),
            ("SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.StringListValue.2", "y"),
            ("SendMessageBatchRequestEntry.1.MessageAttribute.2.Value.StringListValue.1", "x"),
        ])
        XCTAssertEqual(json, """
            {"QueueUrl":"http://localhost:4566/000000000000/q","Entries":[\
            {"Id":"a","MessageBody":"first","DelaySeconds":"3","MessageAttributes":{\
            "color":{"StringValue":"red","DataType":"String"},\
            "tags":{"DataType":"String.list","StringListValues":["x","y"]}}},\
            {"Id":"b","MessageBody":"second"}]}
            """)
    }

    func testMapEntriesWithoutAKeyAreSkippedAndGapsClosed() {
        let json = decode(SQSLikeShapes.createQueue, [
            ("Attribute.1.Value", "orphan"),
            ("Attribute.3.Name", "DelaySeconds"), ("Attribute.3.Value", "1"),
            ("Attribute.x.Name", "NotAPosition"), ("Attribute.x.Value", "1"),
            ("Attribute.5.Name", "NoValue"),
        ])
        XCTAssertEqual(json, #"{"Attributes":{"DelaySeconds":"1","NoValue":""}}"#)
        let list = decode(SQSLikeShapes.getQueueAttributes, [("AttributeName.1", "a"), ("AttributeName.4", "d")])
        XCTAssertEqual(list, #"{"AttributeNames":["a","d"]}"#)
    }

    func testUnknownScalarsPassThroughAndUnknownStructuresAreDropped() {
        let json = decode(.empty, [("QueueName", "q"), ("Empty", ""), ("Unknown.1.Name", "x"), ("Action", "A")])
        XCTAssertEqual(json, #"{"QueueName":"q","Empty":""}"#)
    }

    func testARepeatedParameterKeepsTheLastValue() {
        XCTAssertEqual(decode(.empty, [("QueueName", "a"), ("QueueName", "b")]), #"{"QueueName":"b"}"#)
    }

    func testWrappedListsAndMaps() {
        let shape = QueryShape.structure([
            QueryMember("Names", .list(.scalar, member: "member")),
            QueryMember("Attrs", .map(key: "key", value: "value", .scalar, entry: "entry")),
        ])
        let json = decode(shape, [
            ("Names.member.2", "b"), ("Names.member.1", "a"),
            ("Attrs.entry.1.key", "k1"), ("Attrs.entry.1.value", "v1"),
            ("Attrs.entry.2.key", "k2"), ("Attrs.entry.2.value", "v2"),
        ])
        XCTAssertEqual(json, #"{"Names":["a","b"],"Attrs":{"k1":"v1","k2":"v2"}}"#)
    }
}

final class QueryShapeEncodeTests: XCTestCase {
    func xml(_ shape: QueryShape, _ value: JSONValue) -> String {
        var writer = XMLWriter(declaration: false)
        shape.encodeMembers(value, into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    func testFlattenedListRepeatsTheElement() {
        let shape = QueryShape.structure([QueryMember("QueueUrls", query: "QueueUrl", .list(.scalar))])
        XCTAssertEqual(xml(shape, ["QueueUrls": ["u1", "u2"]]), "<QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl>")
        XCTAssertEqual(xml(shape, ["QueueUrls": []]), "", "an empty flattened list writes nothing")
    }

    func testFlattenedMapRepeatsNameValuePairs() {
        let shape = QueryShape.structure([QueryMember("Attributes", query: "Attribute", SQSLikeShapes.attributeMap)])
        XCTAssertEqual(xml(shape, ["Attributes": ["VisibilityTimeout": "30", "DelaySeconds": "0"]]),
                       "<Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>"
                           + "<Attribute><Name>DelaySeconds</Name><Value>0</Value></Attribute>")
    }

    func testWrappedListAndMap() {
        let shape = QueryShape.structure([
            QueryMember("Names", .list(.scalar, member: "member")),
            QueryMember("Attrs", .map(key: "key", value: "value", .scalar, entry: "entry")),
            QueryMember("None", .list(.scalar, member: "member")),
        ])
        XCTAssertEqual(xml(shape, ["Names": ["a", "b"], "Attrs": ["k": "v"], "None": []]),
                       "<Names><member>a</member><member>b</member></Names>"
                           + "<Attrs><entry><key>k</key><value>v</value></entry></Attrs>"
                           + "<None></None>")
    }

    func testNestedStructuresListsAndMaps() {
        let shape = QueryShape.structure([
            QueryMember("Messages", query: "Message", .list(.structure([
                QueryMember("Attributes", query: "Attribute", SQSLikeShapes.attributeMap),
                SQSLikeShapes.messageAttributes,
            ]))),
        ])
        let value: JSONValue = ["Messages": [[
            "MessageId": "m1",
            "Body": "<hi & bye>",
            "Attributes": ["SenderId": "000000000000"],
            "MessageAttributes": ["color": ["StringValue": "red", "DataType": "String"]],
        ]]]
        XCTAssertEqual(xml(shape, value), """
            <Message><MessageId>m1</MessageId><Body>&lt;hi &amp; bye&gt;</Body>\
            <Attribute><Name>SenderId</Name><Value>000000000000</Value></Attribute>\
            <MessageAttribute><Name>color</Name><Value><StringValue>red</StringValue><DataType>String</DataType></Value></MessageAttribute>\
            </Message>
            """)
    }

    func testScalarsOfEveryJSONTypeAndNullsOmitted() {
        let value: JSONValue = ["S": "s", "N": .number("1.50"), "T": true, "F": false, "Null": nil, "Obj": ["a": 1]]
        XCTAssertEqual(xml(.empty, value),
                       #"<S>s</S><N>1.50</N><T>true</T><F>false</F><Obj>{&quot;a&quot;:1}</Obj>"#)
        XCTAssertEqual(xml(.empty, "not an object"), "")
    }
}

final class XMLWriterTests: XCTestCase {
    func text(_ s: String) -> String {
        var writer = XMLWriter(declaration: false)
        writer.element("v", s)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    func testMarkupCharactersAreEscaped() {
        XCTAssertEqual(text(#"<a href="x">'&'</a>"#), "<v>&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;</v>")
        XCTAssertEqual(text("&amp;"), "<v>&amp;amp;</v>", "already-escaped text is escaped again")
    }

    func testWhitespaceControlCharactersSurvive() {
        XCTAssertEqual(text("a\tb\nc"), "<v>a\tb\nc</v>")
        // A raw CR would be normalised to LF by XML parsers; a reference keeps it.
        XCTAssertEqual(text("a\r\nb"), "<v>a&#xD;\nb</v>")
    }

    func testNonASCIIIsWrittenAsUTF8() {
        XCTAssertEqual(text("é€😀"), "<v>é€😀</v>")
    }

    func testDeclarationNamespaceAndEmptyElements() {
        var writer = XMLWriter()
        writer.open("R", xmlns: "http://example.com/?a=1&b=\"2\"")
        writer.empty("Detail")
        writer.text("<")
        writer.close("R")
        XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self),
                       #"<?xml version="1.0"?><R xmlns="http://example.com/?a=1&amp;b=&quot;2&quot;"><Detail/>&lt;</R>"#)
    }

    /// Collects the text of the one element it parses.
    final class TextCollector: NSObject, XMLParserDelegate {
        var text = ""
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    func testEscapedTextParsesBackToTheOriginal() throws {
        let original = "<a href=\"x\">'&'</a>\r\n\t é€😀 ]]> &amp;"
        var writer = XMLWriter()
        writer.element("v", original)
        let parser = XMLParser(data: Data(writer.bytes))
        let collector = TextCollector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        XCTAssertEqual(collector.text, original)
    }
}
