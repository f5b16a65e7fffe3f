import Foundation
import XCTest
import JSON
import Wire
@testable import SQS

/// The SQS engine behind its real endpoint: query-protocol form parameters in,
/// XML out; JSON in, JSON out with `x-amzn-query-error`.
final class SQSWireTests: XCTestCase {
    func query(_ sqs: SQSHarness, _ form: String) async throws -> (status: Int, xml: String) {
        let parameters = try FormDecoding.decode(form)
        let action = try XCTUnwrap(parameters.first { $0.name == "Action" }?.value)
        var context = sqs.context
        context.wireProtocol = .query
        let outcome = await AWSQueryProtocol.handle(action: action, parameters: parameters, endpoint: sqs.service.endpoint, context: context)
        return (outcome.response.status, String(decoding: outcome.response.body, as: UTF8.self))
    }

    func json(_ sqs: SQSHarness, _ operation: String, _ body: String) async -> WireOutcome {
        let request = WireRequest(method: "POST", path: "/", headers: WireHeaders([("X-Amz-Target", "AmazonSQS.\(operation)")]),
                                  body: Array(body.utf8))
        return await AWSJSONProtocol.handle(request, operationName: operation, endpoint: sqs.service.endpoint, context: sqs.context)
    }

    func testQueryCreateQueueWithAttributesAndTags() async throws {
        let sqs = try await SQSHarness()
        let (status, xml) = try await query(sqs, "Action=CreateQueue&Version=2012-11-05&QueueName=q"
            + "&Attribute.2.Name=DelaySeconds&Attribute.2.Value=3&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=45"
            + "&Tag.1.Key=team&Tag.1.Value=a")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(xml, """
            <?xml version="1.0"?><CreateQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><CreateQueueResult>\
            <QueueUrl>http://localhost:4566/000000000000/q</QueueUrl></CreateQueueResult><ResponseMetadata><RequestId>r</RequestId>\
            </ResponseMetadata></CreateQueueResponse>
            """)
        let attributes = try await sqs.attributes(sqs.url("q"), ["VisibilityTimeout", "DelaySeconds"])
        XCTAssertEqual(attributes, ["VisibilityTimeout": "45", "DelaySeconds": "3"])
        let (_, attributeXML) = try await query(sqs, "Action=GetQueueAttributes&QueueUrl=q&AttributeName.1=VisibilityTimeout")
        XCTAssertTrue(attributeXML.contains("<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout</Name><Value>45</Value></Attribute></GetQueueAttributesResult>"),
                      attributeXML)
        let (_, tagXML) = try await query(sqs, "Action=ListQueueTags&QueueUrl=q")
        XCTAssertTrue(tagXML.contains("<ListQueueTagsResult><Tag><Key>team</Key><Value>a</Value></Tag></ListQueueTagsResult>"), tagXML)
        await sqs.close()
    }

    func testQuerySendMessageBatchKeepsNumericEntryOrder() async throws {
        let sqs = try await SQSHarness()
        try await sqs.createQueue("q")
        var form = "Action=SendMessageBatch&Version=2012-11-05&QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq"
        for i in [10, 2, 1] {
            form += "&SendMessageBatchRequestEntry.\(i).Id=e\(i)&SendMessageBatchRequestEntry.\(i).MessageBody=body+\(i)"
        }
        form += "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=SellerName"
            + "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String"
            + "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=Example+Store"
            + "&SendMessageBatchRequestEntry.2.DelaySeconds=0"
        let (status, xml) = try await query(sqs, form)
        XCTAssertEqual(status, 200, xml)
        let ids = xml.components(separatedBy: "<Id>").dropFirst().map { $0.prefix { $0 != "<" } }
        XCTAssertEqual(ids, ["e1", "e2", "e10"])
        XCTAssertTrue(xml.contains("<MD5OfMessageAttributes>cd28f3b68aeee4b2eac9c66f2f694b58</MD5OfMessageAttributes>"), xml)
        XCTAssertFalse(xml.contains("BatchResultErrorEntry"), "no failures, no failure elements")

        let (_, received) = try await query(sqs, "Action=ReceiveMessage&QueueUrl=q&MaxNumberOfMessages=10"
            + "&MessageAttributeName.1=All&AttributeName.1=SenderId")
        XCTAssertTrue(received.contains("<Body>body 1</Body>"), received)
        XCTAssertTrue(received.contains("<Attribute><Name>SenderId</Name><Value>000000000000</Value></Attribute>"), received)
        XCTAssertTrue(received.contains("<MessageAttribute><Name>SellerName</Name><Value><StringValue>Example Store</StringValue>"
            + "<DataType>String</DataType></Value></MessageAttribute>"), received)
        await sqs.close()
    }

    func testQueryErrorsUseLegacyCodes() async throws {
        let sqs = try await SQSHarness()
        let (status, xml) = try await query(sqs, "Action=GetQueueUrl&QueueName=missing")
        XCTAssertEqual(status, 400)
        XCTAssertTrue(xml.contains("<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"), xml)
        let (_, lenient) = try await query(sqs, "Action=ListQueues&MaxResults=abc")
        XCTAssertTrue(lenient.contains("<Code>InvalidParameterValue</Code>"), lenient)
        let (_, unknown) = try await query(sqs, "Action=CreateTopic&Name=t")
        XCTAssertTrue(unknown.contains("<Code>InvalidAction</Code>"), unknown)
        await sqs.close()
    }

    func testJSONErrorsCarryTheQueryErrorHeader() async throws {
        let sqs = try await SQSHarness()
        let outcome = await json(sqs, "GetQueueUrl", #"{"QueueName":"missing"}"#)
        XCTAssertEqual(outcome.response.status, 400)
        XCTAssertEqual(outcome.response.headers["x-amzn-query-error"], "AWS.SimpleQueueService.NonExistentQueue;Sender")
        XCTAssertEqual(String(decoding: outcome.response.body, as: UTF8.self),
                       #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#)
        let created = await json(sqs, "CreateQueue", #"{"QueueName":"q"}"#)
        XCTAssertEqual(String(decoding: created.response.body, as: UTF8.self), #"{"QueueUrl":"http://localhost:4566/000000000000/q"}"#)
        let unknown = await json(sqs, "CreateTopic", "{}")
        XCTAssertTrue(String(decoding: unknown.response.body, as: UTF8.self).contains("UnknownOperationException"))
        await sqs.close()
    }

    func testEveryOperationIsReachableThroughTheEndpoint() async throws {
        let sqs = try await SQSHarness()
        for operation in SQSOperation.allCases {
            XCTAssertEqual(sqs.service.endpoint.operation(operation.rawValue)?.name, operation.rawValue)
        }
        XCTAssertNil(sqs.service.endpoint.operation("createQueue"), "operation names are case-sensitive")
        await sqs.close()
    }
}
