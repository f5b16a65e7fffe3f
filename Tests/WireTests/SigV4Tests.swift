import XCTest
@testable import Wire

final class SigV4AuthorizationTests: XCTestCase {
    func testParsesTheAuthorizationHeader() throws {
        let auth = try XCTUnwrap(SigV4Authorization(header:
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/sqs/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc123"))
        XCTAssertEqual(auth.accessKeyId, "AKIDEXAMPLE")
        XCTAssertEqual(auth.date, "20260101")
        XCTAssertEqual(auth.region, "eu-west-1")
        XCTAssertEqual(auth.service, "sqs")
        XCTAssertEqual(auth.signedHeaders, ["content-type", "host", "x-amz-date"])
        XCTAssertEqual(auth.signature, "abc123")
        XCTAssertEqual(auth.scope, "20260101/eu-west-1/sqs/aws4_request")
    }

    func testAcceptsCommasWithoutSpacesAndAnyPartOrder() throws {
        let auth = try XCTUnwrap(SigV4Authorization(header:
            "AWS4-HMAC-SHA256 Signature=ff,SignedHeaders=host,Credential=000000000000/20260101/us-east-1/dynamodb/aws4_request"))
        XCTAssertEqual(auth.accessKeyId, "000000000000")
        XCTAssertEqual(auth.service, "dynamodb")
        XCTAssertEqual(auth.signedHeaders, ["host"])
        XCTAssertEqual(auth.signature, "ff")
    }

    func testMissingSignatureOrSignedHeadersParseAsEmpty() throws {
        let auth = try XCTUnwrap(SigV4Authorization(header: "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/sqs/aws4_request"))
        XCTAssertEqual(auth.signedHeaders, [])
        XCTAssertEqual(auth.signature, "")
    }

    func testRejectsOtherSchemesAndMalformedCredentials() {
        let table = [
            "",
            "Bearer token",
            "AWS AKID:signature",
            "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ff",
            "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/sqs, Signature=ff",
            "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/sqs/aws4_requesx, Signature=ff",
            "AWS4-HMAC-SHA256 Credential=/20260101/us-east-1/sqs/aws4_request, Signature=ff",
            "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/sqs/extra/aws4_request, Signature=ff",
        ]
        for header in table {
            XCTAssertNil(SigV4Authorization(header: header), header)
        }
    }
}

/// Signatures computed once with botocore 1.43 (`botocore.auth.SigV4Auth`, the clock
/// pinned to 2026-01-15T12:30:45Z), pasted here as constants.
final class SigV4VerifierTests: XCTestCase {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

    static let jsonBody = #"{"QueueUrl":"http://localhost:4566/000000000000/q","MessageBody":"hello world"}"#
    static let jsonAuthorization = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260115/eu-west-1/sqs/aws4_request, "
        + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
        + "Signature=0594a0194311fadd59e4d79f1835a22447e0e9c245cb35624fd65bb954fc5b9b"

    static let getURI = "/000000000000/my-queue?Action=ReceiveMessage&Version=2012-11-05&MessageAttributeName.1=a%20b&AttributeName.1=All&Z=%2F~"
    static let getAuthorization = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260115/eu-west-1/sqs/aws4_request, "
        + "SignedHeaders=host;x-amz-date, "
        + "Signature=565cae5cf653902a056d7fe59a8bf09a2784c7b498b1e5ae8404c9585b046688"

    func jsonRequest(body: String = jsonBody, target: String = "AmazonSQS.SendMessage", date: String? = "20260115T123045Z") -> WireRequest {
        var headers = WireHeaders([
            ("Host", "localhost:4566"),
            ("Content-Type", "application/x-amz-json-1.0"),
            ("X-Amz-Target", target),
        ])
        if let date { headers.add("X-Amz-Date", date) }
        headers.add("Authorization", Self.jsonAuthorization)
        return WireRequest(method: "POST", uri: "/", headers: headers, body: Array(body.utf8))
    }

    func verify(_ request: WireRequest, _ header: String, secret: String = secret) throws {
        let auth = try XCTUnwrap(SigV4Authorization(header: header))
        try SigV4Verifier.verify(request, authorization: auth, secret: secret)
    }

    func assertFailure(_ expected: SigV4Verifier.Failure, _ body: @autoclosure () throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? SigV4Verifier.Failure, expected, file: file, line: line)
        }
    }

    func testBotocoreSignedJSONRequestVerifies() throws {
        XCTAssertNoThrow(try verify(jsonRequest(), Self.jsonAuthorization))
    }

    func testBotocoreSignedQueryStringRequestVerifies() throws {
        let request = WireRequest(method: "GET", uri: Self.getURI,
                                  headers: WireHeaders([("host", "localhost:4566"), ("x-amz-date", "20260115T123045Z")]), body: [])
        XCTAssertEqual(request.path, "/000000000000/my-queue")
        XCTAssertNoThrow(try verify(request, Self.getAuthorization))
    }

    func testHeaderNameCaseAndSignatureCaseDoNotMatter() throws {
        let request = WireRequest(method: "GET", uri: Self.getURI,
                                  headers: WireHeaders([("HOST", "localhost:4566"), ("X-AMZ-DATE", "20260115T123045Z")]), body: [])
        XCTAssertNoThrow(try verify(request, Self.getAuthorization))
        let signature = String(Self.getAuthorization.suffix(64))
        let upper = Self.getAuthorization.replacingOccurrences(of: signature, with: signature.uppercased())
        XCTAssertNotEqual(upper, Self.getAuthorization)
        XCTAssertNoThrow(try verify(request, upper))
    }

    func testTamperedBodyFails() {
        assertFailure(.mismatch, try verify(jsonRequest(body: Self.jsonBody.replacingOccurrences(of: "hello", with: "hellO")),
                                            Self.jsonAuthorization))
        assertFailure(.mismatch, try verify(jsonRequest(body: Self.jsonBody + " "), Self.jsonAuthorization))
    }

    func testTamperedSignedHeaderQueryOrPathFails() {
        assertFailure(.mismatch, try verify(jsonRequest(target: "AmazonSQS.DeleteQueue"), Self.jsonAuthorization))
        assertFailure(.mismatch, try verify(jsonRequest(date: "20260115T123046Z"), Self.jsonAuthorization))
        let otherQuery = WireRequest(method: "GET", uri: Self.getURI.replacingOccurrences(of: "a%20b", with: "a%20c"),
                                     headers: WireHeaders([("host", "localhost:4566"), ("x-amz-date", "20260115T123045Z")]), body: [])
        assertFailure(.mismatch, try verify(otherQuery, Self.getAuthorization))
        let otherPath = WireRequest(method: "GET", uri: Self.getURI.replacingOccurrences(of: "my-queue", with: "my-queuf"),
                                    headers: WireHeaders([("host", "localhost:4566"), ("x-amz-date", "20260115T123045Z")]), body: [])
        assertFailure(.mismatch, try verify(otherPath, Self.getAuthorization))
        let otherHost = WireRequest(method: "GET", uri: Self.getURI,
                                    headers: WireHeaders([("host", "127.0.0.1:4566"), ("x-amz-date", "20260115T123045Z")]), body: [])
        assertFailure(.mismatch, try verify(otherHost, Self.getAuthorization))
    }

    func testUnsignedHeadersMayChange() throws {
        var request = jsonRequest()
        request.headers.add("User-Agent", "anything")
        XCTAssertNoThrow(try verify(request, Self.jsonAuthorization))
    }

    func testWrongSecretOrScopeFails() {
        assertFailure(.mismatch, try verify(jsonRequest(), Self.jsonAuthorization, secret: "not-the-secret"))
        assertFailure(.mismatch, try verify(jsonRequest(), Self.jsonAuthorization.replacingOccurrences(of: "eu-west-1", with: "us-east-1")))
        assertFailure(.mismatch, try verify(jsonRequest(), String(Self.jsonAuthorization.dropLast()) + "0"))
    }

    func testMissingDateFails() {
        assertFailure(.missingDate, try verify(jsonRequest(date: nil), Self.jsonAuthorization))
    }
}
