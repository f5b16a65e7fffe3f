import JSON
import XCTest
@testable import Wire

final class RestJSONProtocolTests: XCTestCase {
    let invoke = RestJSONRoute("Invoke", "POST", "/2015-03-31/functions/{FunctionName}/invocations",
                               query: ["Qualifier": "Qualifier"], headers: ["X-Amz-Invocation-Type": "InvocationType"],
                               payload: "Payload", outputHeaders: ["FunctionError": "X-Amz-Function-Error"], outputPayload: "Payload")
    let connection = RestJSONRoute("PostToConnection", "POST", "/@connections/{ConnectionId}", payload: "Data")
    let greedy = RestJSONRoute("GetObject", "GET", "/files/{Key+}")

    func testLabelsArePercentDecodedAndMustMatchWholeSegments() {
        XCTAssertEqual(invoke.match(method: "POST", path: "/2015-03-31/functions/my%3Afn/invocations"), ["FunctionName": "my:fn"])
        XCTAssertNil(invoke.match(method: "GET", path: "/2015-03-31/functions/f/invocations"))
        XCTAssertNil(invoke.match(method: "POST", path: "/2015-03-31/functions/f"))
        XCTAssertNil(invoke.match(method: "POST", path: "/2015-03-31/functions/f/invocations/extra"))
    }

    func testGreedyLabelTakesTheRestOfThePath() {
        XCTAssertEqual(greedy.match(method: "GET", path: "/files/a/b%20c/d"), ["Key": "a/b c/d"])
        XCTAssertNil(greedy.match(method: "GET", path: "/files"))
    }

    func testRouteChoosesTheFirstMatchingOperation() {
        let request = WireRequest(method: "POST", path: "/@connections/abc%3D")
        let matched = RestJSONProtocol.route(request, in: [invoke, connection])
        XCTAssertEqual(matched?.0.operation, "PostToConnection")
        XCTAssertEqual(matched?.1, ["ConnectionId": "abc="])
    }

    func testInputGathersLabelsQueryHeadersAndRawPayload() throws {
        var headers = WireHeaders()
        headers.add("x-amz-invocation-type", "Event")
        let request = WireRequest(method: "POST", path: "/2015-03-31/functions/f/invocations", query: "Qualifier=live&Other=x",
                                  headers: headers, body: Array(#"{"order":1}"#.utf8))
        let input = try RestJSONProtocol.input(request, route: invoke, labels: ["FunctionName": "f"])
        XCTAssertEqual(input["FunctionName"], "f")
        XCTAssertEqual(input["Qualifier"], "live")
        XCTAssertEqual(input["InvocationType"], "Event")
        XCTAssertEqual(input["Payload"], .string(#"{"order":1}"#))
        XCTAssertNil(input["Other"])
    }

    func testMalformedJSONBodyIsASerializationError() {
        let route = RestJSONRoute("CreateApi", "POST", "/v2/apis", status: 201)
        let request = WireRequest(method: "POST", path: "/v2/apis", body: Array("{nope".utf8))
        XCTAssertThrowsError(try RestJSONProtocol.input(request, route: route, labels: [:])) { error in
            XCTAssertEqual((error as? CommonError)?.code, "SerializationException")
        }
    }

    func testSuccessMovesOutputHeadersOutOfTheBodyAndUsesTheRouteStatus() {
        let created = RestJSONProtocol.successResponse(["ApiId": "a1", "Name": "n"], route: RestJSONRoute("CreateApi", "POST", "/v2/apis", status: 201))
        XCTAssertEqual(created.status, 201)
        XCTAssertEqual(String(decoding: created.body, as: UTF8.self), #"{"ApiId":"a1","Name":"n"}"#)

        let invoked = RestJSONProtocol.successResponse(["FunctionError": "Unhandled", "Payload": .string(#"{"x":1}"#)], route: invoke)
        XCTAssertEqual(invoked.headers["X-Amz-Function-Error"], "Unhandled")
        XCTAssertEqual(String(decoding: invoked.body, as: UTF8.self), #"{"x":1}"#)
    }

    func testErrorsCarryTheErrorTypeHeader() {
        let context = RequestContext(requestId: "r", accountId: "000000000000", region: "us-east-1", host: "h")
        let error = CommonError(code: "ResourceNotFoundException", httpStatus: 404, message: "Function not found")
        let response = RestJSONProtocol.errorResponse(error, context: context)
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.headers["x-amzn-ErrorType"], "ResourceNotFoundException")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), #"{"Type":"User","message":"Function not found"}"#)
    }
}
