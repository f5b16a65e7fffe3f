import XCTest
import JSON
@testable import Wire

/// A tiny service to drive the protocol layers: `Echo` returns its input, `Fail`
/// throws the error named by `Kind`.
enum TestService {
    struct Unexpected: Error {}

    static let nonExistentQueue = CommonError(code: "QueueDoesNotExist", queryCode: "AWS.SimpleQueueService.NonExistentQueue",
                                              message: "The specified queue does not exist.")

    static let operations: [String: ServiceOperation] = [
        "Echo": ServiceOperation(
            name: "Echo",
            query: QueryOperationSchema(
                input: .structure([QueryMember("Names", query: "Name", .list(.scalar))]),
                output: .structure([QueryMember("Names", query: "Name", .list(.scalar))]))
        ) { input, _ in
            .object(input.object)
        },
        "Count": ServiceOperation(name: "Count", query: QueryOperationSchema()) { input, _ in
            ["N": .integer(try input.requiredInt("N") + 1)]
        },
        "Nothing": ServiceOperation(name: "Nothing", query: QueryOperationSchema()) { _, _ in [:] },
        "Fail": ServiceOperation(name: "Fail", query: QueryOperationSchema()) { input, _ in
            switch try input.requiredString("Kind") {
            case "queue": throw nonExistentQueue
            case "internal": throw CommonError.internalFailure()
            default: throw Unexpected()
            }
        },
    ]

    static func endpoint(queryCompatible: Bool = true) -> ServiceEndpoint {
        ServiceEndpoint(signingName: "sqs", jsonTargetPrefix: "AmazonSQS", jsonErrorTypePrefix: "com.amazonaws.sqs#",
                        queryVersion: "2012-11-05", xmlNamespace: "http://queue.amazonaws.com/doc/2012-11-05/",
                        queryCompatible: queryCompatible) { operations[$0] }
    }

    static let context = RequestContext(requestId: "req-1", accountId: "000000000000", region: "us-east-1", host: "localhost:4566")
}

final class AWSJSONProtocolTests: XCTestCase {
    func call(_ operation: String, _ body: String, queryCompatible: Bool = true) async -> WireOutcome {
        let request = WireRequest(method: "POST", path: "/", headers: WireHeaders([("X-Amz-Target", "AmazonSQS.\(operation)")]),
                                  body: Array(body.utf8))
        return await AWSJSONProtocol.handle(request, operationName: operation, endpoint: TestService.endpoint(queryCompatible: queryCompatible),
                                            context: TestService.context)
    }

    func body(_ outcome: WireOutcome) -> String { String(decoding: outcome.response.body, as: UTF8.self) }

    func testErrorResponseCarriesQueryErrorHeaderForQueryCompatibleServices() {
        let response = AWSJSONProtocol.errorResponse(TestService.nonExistentQueue, endpoint: TestService.endpoint(),
                                                     context: TestService.context)
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual(response.headers["x-amzn-query-error"], "AWS.SimpleQueueService.NonExistentQueue;Sender")
        XCTAssertEqual(response.headers["content-type"], "application/x-amz-json-1.0")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self),
                       #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#)
    }

    func testErrorResponseWithoutQueryCompatibilityHasNoQueryErrorHeader() {
        let response = AWSJSONProtocol.errorResponse(TestService.nonExistentQueue, endpoint: TestService.endpoint(queryCompatible: false),
                                                     context: TestService.context)
        XCTAssertNil(response.headers["x-amzn-query-error"])
    }

    func testServerFaultsAreMarkedReceiverAndQualifiedCodesKept() {
        let serverFault = AWSJSONProtocol.errorResponse(CommonError.internalFailure(), endpoint: TestService.endpoint(), context: TestService.context)
        XCTAssertEqual(serverFault.status, 500)
        XCTAssertEqual(serverFault.headers["x-amzn-query-error"], "InternalFailure;Receiver")
        let qualified = CommonError(code: "com.example#Custom", message: "m")
        let response = AWSJSONProtocol.errorResponse(qualified, endpoint: TestService.endpoint(), context: TestService.context)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), #"{"__type":"com.example#Custom","message":"m"}"#)
    }

    func testSuccessEchoesJSONWithKeyOrderAndNumberSpelling() async {
        let outcome = await call("Echo", #"{"b":1.0,"a":[1e5]}"#)
        XCTAssertEqual(outcome.response.status, 200)
        XCTAssertEqual(body(outcome), #"{"b":1.0,"a":[1e5]}"#)
        XCTAssertEqual(outcome.response.headers["Content-Type"], "application/x-amz-json-1.0")
        XCTAssertNil(outcome.unexpected)
    }

    func testEmptyBodyIsAnEmptyObject() async {
        let outcome = await call("Echo", "")
        XCTAssertEqual(outcome.response.status, 200)
        XCTAssertEqual(body(outcome), "{}")
    }

    func testUnknownOperationAndMalformedBodies() async {
        let unknown = await call("Bogus", "{}")
        XCTAssertEqual(unknown.response.status, 400)
        XCTAssertTrue(body(unknown).contains(#""__type":"com.amazonaws.sqs#UnknownOperationException""#), body(unknown))
        for bad in ["{", "[1]", #"{"a":1} x"#, "\u{FF}"] {
            let outcome = await call("Echo", bad)
            XCTAssertEqual(outcome.response.status, 400, bad)
            XCTAssertTrue(body(outcome).contains("SerializationException"), body(outcome))
            XCTAssertEqual(outcome.response.headers["x-amzn-query-error"], "SerializationException;Sender")
        }
    }

    func testShapeErrorsBecomeSerializationExceptions() async {
        let missing = await call("Count", "{}")
        XCTAssertEqual(body(missing), #"{"__type":"com.amazonaws.sqs#SerializationException","message":"Missing required member N"}"#)
        let mistyped = await call("Count", #"{"N":"1"}"#)
        XCTAssertEqual(body(mistyped), #"{"__type":"com.amazonaws.sqs#SerializationException","message":"Expected integer at N, found string"}"#)
    }

    func testServiceErrorsAndUnexpectedErrors() async {
        let queue = await call("Fail", #"{"Kind":"queue"}"#)
        XCTAssertEqual(queue.response.status, 400)
        XCTAssertEqual(queue.response.headers["x-amzn-query-error"], "AWS.SimpleQueueService.NonExistentQueue;Sender")
        XCTAssertNil(queue.unexpected)
        let unexpected = await call("Fail", #"{"Kind":"boom"}"#)
        XCTAssertEqual(unexpected.response.status, 500)
        XCTAssertTrue(body(unexpected).contains("InternalFailure"))
        XCTAssertTrue(unexpected.unexpected is TestService.Unexpected)
    }
}

final class AWSQueryProtocolTests: XCTestCase {
    let namespace = "http://queue.amazonaws.com/doc/2012-11-05/"

    func handle(_ form: String) async throws -> (status: Int, xml: String) {
        let request = WireRequest(method: "POST", path: "/", headers: WireHeaders([("Content-Type", "application/x-www-form-urlencoded")]),
                                  body: Array(form.utf8))
        let parameters = try AWSQueryProtocol.parameters(of: request)
        let action = try XCTUnwrap(parameters.first { $0.name == "Action" }?.value)
        let outcome = await AWSQueryProtocol.handle(action: action, parameters: parameters, endpoint: TestService.endpoint(),
                                                    context: TestService.context)
        XCTAssertEqual(outcome.response.headers["Content-Type"], "text/xml")
        return (outcome.response.status, String(decoding: outcome.response.body, as: UTF8.self))
    }

    func testSuccessWrapsMembersInResultAndMetadata() async throws {
        let (status, xml) = try await handle("Action=Echo&Version=2012-11-05&Name.2=b&Name.1=%3Ca%3E")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(xml, """
            <?xml version="1.0"?><EchoResponse xmlns="\(namespace)"><EchoResult><Name>&lt;a&gt;</Name><Name>b</Name></EchoResult>\
            <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></EchoResponse>
            """)
    }

    func testOperationsWithoutOutputHaveNoResultElement() async throws {
        let (status, xml) = try await handle("Action=Nothing&Version=2012-11-05")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(xml, """
            <?xml version="1.0"?><NothingResponse xmlns="\(namespace)"><ResponseMetadata><RequestId>req-1</RequestId>\
            </ResponseMetadata></NothingResponse>
            """)
    }

    func testScalarsArriveAsTextAndAreReadLeniently() async throws {
        let (status, xml) = try await handle("Action=Count&Version=2012-11-05&N=41")
        XCTAssertEqual(status, 200)
        XCTAssertTrue(xml.contains("<CountResult><N>42</N></CountResult>"), xml)
    }

    func testErrorResponseShape() async throws {
        let (status, xml) = try await handle("Action=Fail&Kind=queue")
        XCTAssertEqual(status, 400)
        XCTAssertEqual(xml, """
            <?xml version="1.0"?><ErrorResponse xmlns="\(namespace)"><Error><Type>Sender</Type>\
            <Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message><Detail/>\
            </Error><RequestId>req-1</RequestId></ErrorResponse>
            """)
    }

    func testCommonErrors() async throws {
        let table: [(String, Int, String)] = [
            ("Action=Bogus", 400, "<Code>InvalidAction</Code><Message>The action Bogus is not valid for this endpoint.</Message>"),
            ("Action=Count", 400, "<Code>MissingParameter</Code><Message>The request must contain the parameter N.</Message>"),
            ("Action=Count&N=abc", 400, "<Code>InvalidParameterValue</Code><Message>Value &apos;abc&apos; for parameter N is invalid.</Message>"),
            ("Action=Fail&Kind=internal", 500, "<Type>Receiver</Type><Code>InternalFailure</Code>"),
            ("Action=Fail&Kind=boom", 500, "<Type>Receiver</Type><Code>InternalFailure</Code>"),
        ]
        for (form, status, fragment) in table {
            let result = try await handle(form)
            XCTAssertEqual(result.status, status, form)
            XCTAssertTrue(result.xml.contains(fragment), "\(form): \(result.xml)")
        }
    }

    func testParametersComeFromQueryStringAndBody() throws {
        let request = WireRequest(method: "POST", uri: "/?Action=Echo&Version=2012-11-05", headers: WireHeaders(),
                                  body: Array("Name.1=x+y".utf8))
        let parameters = try AWSQueryProtocol.parameters(of: request)
        XCTAssertEqual(parameters.map(\.name), ["Action", "Version", "Name.1"])
        XCTAssertEqual(parameters.last?.value, "x y")
        let bad = WireRequest(method: "POST", path: "/", body: Array("Name.1=%ZZ".utf8))
        XCTAssertThrowsError(try AWSQueryProtocol.parameters(of: bad))
    }
}
