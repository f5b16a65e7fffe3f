import Foundation
import JSON
import XCTest
@testable import Stacks

/// Template parsing and the intrinsic functions, without deploying anything.
final class TemplateTests: XCTestCase {
    func testShortFormTagsBecomeTheLongForm() throws {
        let document = try TemplateDocument.parse("""
            A: !Ref Queue
            B: !GetAtt Queue.Arn
            C: !Sub "${AWS::Region}-x"
            D: !Join [",", [a, !Ref P]]
            E: !If [Cond, 1, !Ref "AWS::NoValue"]
            F: !Select [0, !GetAZs ""]
            G: {Fn::GetAtt: [Q, Arn]}
            H: [1, 2.5, true, null, "007", 007x]
            I: !GetAtt Api.Outputs.Url
            """)
        XCTAssertEqual(document["A"], ["Ref": "Queue"])
        XCTAssertEqual(document["B"], ["Fn::GetAtt": ["Queue", "Arn"]])
        XCTAssertEqual(document["C"], ["Fn::Sub": "${AWS::Region}-x"])
        XCTAssertEqual(document["D"], ["Fn::Join": [",", ["a", ["Ref": "P"]]]])
        XCTAssertEqual(document["E"], ["Fn::If": ["Cond", 1, ["Ref": "AWS::NoValue"]]])
        XCTAssertEqual(document["F"], ["Fn::Select": [0, ["Fn::GetAZs": ""]]])
        XCTAssertEqual(document["G"], ["Fn::GetAtt": ["Q", "Arn"]])
        XCTAssertEqual(document["H"], [1, .number("2.5"), true, .null, "007", "007x"])
        XCTAssertEqual(document["I"], ["Fn::GetAtt": ["Api", "Outputs.Url"]])
        XCTAssertThrowsError(try TemplateDocument.parse("A: !Nope x")) { error in
            XCTAssertEqual((error as? TemplateError)?.message, "Unknown YAML tag !Nope.")
        }
    }

    func intrinsics() -> Intrinsics {
        var i = Intrinsics(parameters: ["Stage": "dev", "List": ["a", "b"], "AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012"],
                           mappings: ["Sizes": ["dev": ["Memory": 256]]], region: "eu-west-1")
        i.refs = ["Queue": "http://localhost/123456789012/q"]
        i.attributes = ["Queue": ["Arn": "arn:aws:sqs:eu-west-1:123456789012:q", "QueueName": "q"]]
        i.conditions = ["IsDev": true, "IsProd": false]
        return i
    }

    func testIntrinsicFunctions() throws {
        let i = intrinsics()
        func resolve(_ value: JSONValue) throws -> JSONValue? { try i.resolve(value) }
        XCTAssertEqual(try resolve(["Ref": "Queue"]), "http://localhost/123456789012/q")
        XCTAssertEqual(try resolve(["Fn::GetAtt": ["Queue", "Arn"]]), "arn:aws:sqs:eu-west-1:123456789012:q")
        XCTAssertEqual(try resolve(["Fn::GetAtt": "Queue.QueueName"]), "q")
        XCTAssertEqual(try resolve(["Fn::Sub": "${Stage}/${Queue.QueueName}/${AWS::Region}/${!Literal}"]), "dev/q/eu-west-1/${Literal}")
        XCTAssertEqual(try resolve(["Fn::Sub": ["${X}-${Stage}", ["X": ["Ref": "Queue"]]]]), "http://localhost/123456789012/q-dev")
        XCTAssertEqual(try resolve(["Fn::Join": ["-", ["a", ["Ref": "Stage"], 3]]]), "a-dev-3")
        XCTAssertEqual(try resolve(["Fn::Select": [1, ["Ref": "List"]]]), "b")
        XCTAssertEqual(try resolve(["Fn::Split": [",", "x,y"]]), ["x", "y"])
        XCTAssertEqual(try resolve(["Fn::If": ["IsDev", "yes", "no"]]), "yes")
        XCTAssertEqual(try resolve(["Fn::If": ["IsProd", "yes", ["Ref": "AWS::NoValue"]]]), nil)
        XCTAssertEqual(try resolve(["Env": ["A": ["Fn::If": ["IsProd", "x", ["Ref": "AWS::NoValue"]]], "B": "b"]]), ["Env": ["B": "b"]])
        XCTAssertEqual(try resolve(["Fn::FindInMap": ["Sizes", ["Ref": "Stage"], "Memory"]]), 256)
        XCTAssertEqual(try resolve(["Fn::Base64": "offcloud"]), "b2ZmY2xvdWQ=")
        XCTAssertEqual(try resolve(["Fn::GetAZs": ""]), ["eu-west-1a", "eu-west-1b", "eu-west-1c"])
        XCTAssertEqual(try resolve(["Fn::Length": [1, 2, 3]]), 3)
        XCTAssertEqual(try resolve(["Fn::ToJsonString": ["a": 1]]), #"{"a":1}"#)
        XCTAssertTrue(try i.condition(["Fn::And": [["Condition": "IsDev"], ["Fn::Not": [["Condition": "IsProd"]]]]]))
        XCTAssertTrue(try i.condition(["Fn::Or": [["Fn::Equals": ["a", "b"]], ["Fn::Equals": [["Ref": "Stage"], "dev"]]]]))
    }

    func testIntrinsicErrorsNameTheResourceAndProperty() {
        var i = intrinsics()
        i.resource = "Fn"
        i.property = "Environment"
        let cases: [(JSONValue, String)] = [
            (["Ref": "Nope"], "Resource Fn, property Environment: Unresolved reference Nope: it names no parameter or resource."),
            (["Fn::GetAtt": ["Queue", "Url"]], "Resource Fn, property Environment: Fn::GetAtt: Queue has no attribute Url (it has Arn, QueueName)."),
            (["Fn::GetAtt": ["Other", "Arn"]], "Resource Fn, property Environment: Fn::GetAtt names Other, which is not a resource of the template."),
            (["Fn::Select": [5, ["a"]]], "Resource Fn, property Environment: Fn::Select index 5 is out of range (1 values)."),
            (["Fn::If": ["Unknown", 1, 2]], "Resource Fn, property Environment: Fn::If names the unknown condition Unknown."),
            (["Fn::Sub": "${Open"], "Resource Fn, property Environment: Fn::Sub: an unclosed ${ in \"${Open\"."),
            (["Fn::ImportValue": "x"], "Resource Fn, property Environment: Fn::ImportValue needs another stack's exports; Offcloud deploys one template."),
            (["Fn::Magic": 1], "Resource Fn, property Environment: Fn::Magic is not an intrinsic function CloudFormation knows."),
        ]
        for (value, message) in cases {
            XCTAssertThrowsError(try i.resolve(value), "\(value)") { error in
                XCTAssertEqual((error as? TemplateError)?.message, message)
            }
        }
    }

    func testDependencyOrderAndCycles() throws {
        let template = try StackTemplate(TemplateDocument.parse("""
            Resources:
              C: {Type: T, Properties: {X: !Sub "${B.Arn}"}}
              B: {Type: T, Properties: {X: !Ref A}}
              A: {Type: T}
              D: {Type: T, DependsOn: [C]}
            """))
        XCTAssertEqual(try StackDeployer.order(template.resources, known: [], all: ["A", "B", "C", "D"]).map(\.logicalId), ["A", "B", "C", "D"])
        let cyclic = try StackTemplate(TemplateDocument.parse("""
            Resources:
              A: {Type: T, Properties: {X: !Ref B}}
              B: {Type: T, Properties: {X: !GetAtt A.Arn}}
              C: {Type: T}
            """))
        XCTAssertThrowsError(try StackDeployer.order(cyclic.resources, known: [], all: ["A", "B", "C"])) { error in
            XCTAssertEqual((error as? TemplateError)?.message, "Circular dependency between resources: [A, B]")
        }
    }

    func testSAMFunctionExpandsIntoItsResources() throws {
        var template = try StackTemplate(TemplateDocument.parse("""
            Transform: AWS::Serverless-2016-10-31
            Globals: {Function: {Timeout: 7}}
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: h
                  Tags: {team: a}
                  Events:
                    Q: {Type: SQS, Properties: {Queue: arn:q, BatchSize: 3}}
                    T: {Type: SNS, Properties: {Topic: arn:t}}
                    Get: {Type: HttpApi, Properties: {Path: /x, Method: get}}
                    Every: {Type: Schedule, Properties: {Schedule: rate(1 minute)}}
            """))
        try SAMTransform.expand(&template, stackName: "s")
        let types = Dictionary(uniqueKeysWithValues: template.resources.map { ($0.logicalId, $0.type) })
        XCTAssertEqual(types["Fn"], "AWS::Lambda::Function")
        XCTAssertEqual(types["FnQ"], "AWS::Lambda::EventSourceMapping")
        XCTAssertEqual(types["FnT"], "AWS::SNS::Subscription")
        XCTAssertEqual(types["FnGetIntegration"], "AWS::ApiGatewayV2::Integration")
        XCTAssertEqual(types["FnGetRoute"], "AWS::ApiGatewayV2::Route")
        XCTAssertEqual(types["ServerlessHttpApi"], "AWS::ApiGatewayV2::Api")
        XCTAssertEqual(types["ServerlessHttpApiApiGatewayDefaultStage"], "AWS::ApiGatewayV2::Stage")
        XCTAssertEqual(types["FnEvery"], "Offcloud::Ignored::ScheduleEvent")
        let function = template.resources.first { $0.logicalId == "Fn" }!
        XCTAssertEqual(function.properties["Timeout"], 7)
        XCTAssertEqual(function.properties["Tags"], [["Key": "team", "Value": "a"]])
        let route = template.resources.first { $0.logicalId == "FnGetRoute" }!
        XCTAssertEqual(route.properties["RouteKey"], "GET /x")
    }
}
