import Foundation
import JSON
import Lambda
import Wire

/// The AWS service an HTTP API integration calls directly (`integrationSubtype`), with
/// the request parameters each action takes. API Gateway knows more subtypes than
/// Offcloud runs (EventBridge, Kinesis, AppConfig): those are accepted by the control
/// plane, as on AWS, and answer 500 at run time.
enum IntegrationSubtype: String, CaseIterable {
    case sqsSendMessage = "SQS-SendMessage", sqsReceiveMessage = "SQS-ReceiveMessage"
    case sqsDeleteMessage = "SQS-DeleteMessage", sqsPurgeQueue = "SQS-PurgeQueue"
    case startExecution = "StepFunctions-StartExecution", startSyncExecution = "StepFunctions-StartSyncExecution"
    case stopExecution = "StepFunctions-StopExecution"
    case putEvents = "EventBridge-PutEvents", getConfiguration = "AppConfig-GetConfiguration", putRecord = "Kinesis-PutRecord"

    /// The in-process client's service name and the operation, for the subtypes Offcloud runs.
    var call: (service: String, operation: String)? {
        switch self {
        case .sqsSendMessage: ("sqs", "SendMessage")
        case .sqsReceiveMessage: ("sqs", "ReceiveMessage")
        case .sqsDeleteMessage: ("sqs", "DeleteMessage")
        case .sqsPurgeQueue: ("sqs", "PurgeQueue")
        case .startExecution: ("stepfunctions", "StartExecution")
        case .startSyncExecution: ("stepfunctions", "StartSyncExecution")
        case .stopExecution: ("stepfunctions", "StopExecution")
        case .putEvents, .getConfiguration, .putRecord: nil
        }
    }

    /// Parameters that must be mapped, then every parameter the action accepts.
    var parameters: (required: [String], all: [String]) {
        switch self {
        case .sqsSendMessage:
            (["QueueUrl", "MessageBody"], ["QueueUrl", "MessageBody", "DelaySeconds", "MessageAttributes", "MessageDeduplicationId",
                                           "MessageGroupId", "MessageSystemAttributes", "Region"])
        case .sqsReceiveMessage:
            (["QueueUrl"], ["QueueUrl", "AttributeNames", "MaxNumberOfMessages", "MessageAttributeNames", "ReceiveRequestAttemptId",
                            "VisibilityTimeout", "WaitTimeSeconds", "Region"])
        case .sqsDeleteMessage: (["QueueUrl", "ReceiptHandle"], ["QueueUrl", "ReceiptHandle", "Region"])
        case .sqsPurgeQueue: (["QueueUrl"], ["QueueUrl", "Region"])
        case .startExecution: (["StateMachineArn"], ["StateMachineArn", "Name", "Input", "Region"])
        case .startSyncExecution: (["StateMachineArn"], ["StateMachineArn", "Name", "Input", "Region", "TraceHeader"])
        case .stopExecution: (["ExecutionArn"], ["ExecutionArn", "Cause", "Error", "Region"])
        case .putEvents: (["Detail", "DetailType", "Source"], ["Detail", "DetailType", "Source", "Time", "EventBusName", "Resources",
                                                               "Region", "TraceHeader"])
        case .getConfiguration: (["Application", "Environment", "Configuration", "ClientId"],
                                 ["Application", "Environment", "Configuration", "ClientId", "ClientConfigurationVersion", "Region"])
        case .putRecord: (["StreamName", "Data", "PartitionKey"], ["StreamName", "Data", "PartitionKey", "SequenceNumberForOrdering",
                                                                   "ExplicitHashKey", "Region"])
        }
    }

    static let numbers: Set<String> = ["DelaySeconds", "MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds"]
    static let maps: Set<String> = ["MessageAttributes", "MessageSystemAttributes"]
    static let lists: Set<String> = ["AttributeNames", "MessageAttributeNames"]

    /// CreateIntegration's checks for a service integration: a known subtype on an
    /// `AWS_PROXY` integration with payload format 1.0, its required parameters mapped
    /// and no parameter the action does not take.
    static func validate(subtype: String, type: String, format: String?, requestParameters: JSONValue?) throws {
        guard let known = IntegrationSubtype(rawValue: subtype) else {
            throw APIGatewayError.badRequest("Invalid integration subtype specified: \(subtype)")
        }
        guard type == "AWS_PROXY" else {
            throw APIGatewayError.badRequest("IntegrationSubtype is supported only for AWS_PROXY integrations")
        }
        if let format, format != "1.0" {
            throw APIGatewayError.badRequest("Invalid payload format version specified: \(format). AWS service integrations support only 1.0.")
        }
        let given = requestParameters?.objectValue?.keys ?? []
        let (required, all) = known.parameters
        let missing = required.filter { !given.contains($0) }
        if !missing.isEmpty {
            throw APIGatewayError.badRequest("Invalid request parameters specified: integration subtype \(subtype) requires "
                                             + "\(missing.joined(separator: ", "))")
        }
        if let unknown = given.first(where: { !all.contains($0) }) {
            throw APIGatewayError.badRequest("Invalid request parameter specified: \(unknown) is not a parameter of integration subtype "
                                             + "\(subtype). Valid parameters are \(all.joined(separator: ", ")).")
        }
    }
}

/// Runs an AWS service integration: maps the request into the action's parameters,
/// calls the service in-process, and answers 200 with the service's response as HTTP
/// APIs return it (SQS in its query API's JSON form, `{"SendMessageResponse": …}`;
/// Step Functions as its JSON API answers), or the service's error with its status.
struct HTTPAPIServiceIntegration {
    let aws: any InProcessAWS

    func invoke(_ integration: JSONObject, _ input: HTTPAPIEvent.Input) async -> WireResponse {
        guard let subtype = integration["integrationSubtype"]?.stringValue.flatMap(IntegrationSubtype.init(rawValue:)),
              let (service, operation) = subtype.call else {
            return HTTPAPIRuntime.message(500, "Internal Server Error")
        }
        var parameters = JSONObject()
        for member in integration["requestParameters"]?.objectValue ?? JSONObject() where member.key != "Region" {
            guard let template = member.value.stringValue, let value = input.map(template) else { continue }
            // Step Functions' JSON API spells members in camelCase (`stateMachineArn`).
            let name = service == "stepfunctions" ? member.key.prefix(1).lowercased() + member.key.dropFirst() : member.key
            parameters.append(name, Self.typed(member.key, value))
        }
        let requestId = UUID().uuidString.lowercased()
        do {
            let output = try await aws.call(service: service, operation: operation, input: .object(parameters))
            let body = service == "sqs" ? Self.queryShaped(operation, output, requestId: requestId) : output
            return Self.json(200, body)
        } catch let error as any AWSServiceError {
            let body: JSONValue = service == "sqs"
                ? ["Error": ["Code": .string(error.queryCode), "Message": .string(error.message),
                             "Type": .string(error.isSenderFault ? "Sender" : "Receiver")],
                   "RequestId": .string(requestId)]
                : ["__type": .string("com.amazonaws.swf.service.v2.model#\(error.code)"), "message": .string(error.message)]
            return Self.json(error.httpStatus, body)
        } catch {
            return HTTPAPIRuntime.message(500, "Internal Server Error")
        }
    }

    /// Mapped values are text; the actions want numbers, attribute maps and name lists.
    static func typed(_ name: String, _ value: String) -> JSONValue {
        if IntegrationSubtype.numbers.contains(name), let number = Int(value.trimmingCharacters(in: .whitespaces)) { return .integer(number) }
        if IntegrationSubtype.maps.contains(name), let parsed = try? JSONValue.parse(Array(value.utf8)), parsed.objectValue != nil {
            return parsed
        }
        if IntegrationSubtype.lists.contains(name) {
            if let parsed = try? JSONValue.parse(Array(value.utf8)), parsed.arrayValue != nil { return parsed }
            return .array(value.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
        }
        return .string(value)
    }

    /// SQS answers in its query API's JSON form: `{"<Action>Response": {"<Action>Result":
    /// {…}, "ResponseMetadata": {"RequestId": …}}}`, members sorted, absent ones null.
    static func queryShaped(_ operation: String, _ output: JSONValue, requestId: String) -> JSONValue {
        func members(_ source: JSONValue?, _ names: [String]) -> JSONValue {
            .object(JSONObject(names.map { JSONObject.Member($0, source?[$0] ?? .null) }))
        }
        var result: JSONValue?
        switch operation {
        case "SendMessage":
            result = members(output, ["MD5OfMessageAttributes", "MD5OfMessageBody", "MD5OfMessageSystemAttributes", "MessageId",
                                      "SequenceNumber"])
        case "ReceiveMessage":
            let messages = (output["Messages"]?.arrayValue ?? []).map {
                members($0, ["Attributes", "Body", "MD5OfBody", "MD5OfMessageAttributes", "MessageAttributes", "MessageId", "ReceiptHandle"])
            }
            result = ["messages": messages.isEmpty ? .null : .array(messages)]
        default:
            result = nil
        }
        var response = JSONObject()
        if let result { response.append("\(operation)Result", result) }
        response.append("ResponseMetadata", ["RequestId": .string(requestId)])
        let sorted = JSONObject(response.members.sorted { $0.key < $1.key })
        return .object(JSONObject([.init("\(operation)Response", .object(sorted))]))
    }

    static func json(_ status: Int, _ body: JSONValue) -> WireResponse {
        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("apigw-requestid", HTTPAPIRuntime.requestId())
        return WireResponse(status: status, headers: headers, body: body.serialized())
    }
}
