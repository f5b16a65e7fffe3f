import Foundation
import JSON

/// AWS::Lambda::Function: Ref is the function name; Arn is an attribute. `Handler`
/// names a registered Swift handler (or `exec:…`); the code package is not needed.
struct LambdaFunctionProvider: ResourceProvider {
    static let configuration = ["Handler", "Runtime", "Timeout", "MemorySize", "Environment", "Description", "Role",
                                "Architectures", "EphemeralStorage", "TracingConfig", "DeadLetterConfig"]

    func input(_ p: JSONObject, name: String, stack: StackContext) -> JSONObject {
        var input: JSONObject = ["FunctionName": .string(name)]
        for key in Self.configuration { if let v = p[key] { input.append(key, v) } }
        if input["Runtime"] == nil { input["Runtime"] = "provided.al2023" }
        if input["Role"] == nil { input["Role"] = .string("arn:aws:iam::\(stack.accountId):role/\(name)-role") }
        return input
    }

    func create(_ id: String, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        guard p["Handler"] != nil else { throw TemplateError(resource: id, property: "Handler", "a function needs a Handler.") }
        let name = p["FunctionName"]?.stringValue ?? stack.physicalName(id, maxLength: 64)
        var request = input(p, name: name, stack: stack)
        request.append("Code", ["ZipFile": .string(Data("offcloud".utf8).base64EncodedString())])
        if let tags = Properties.tagMap(p["Tags"]) { request.append("Tags", tags) }
        let created = try await stack.call("lambda", "CreateFunction", .object(request))
        if let reserved = p["ReservedConcurrentExecutions"] {
            _ = try? await stack.call("lambda", "PutFunctionConcurrency", ["FunctionName": .string(name), "ReservedConcurrentExecutions": reserved])
        }
        return DeployedResource(type: "AWS::Lambda::Function", properties: p, ref: .string(name), attributes: ["Arn": created["FunctionArn"] ?? .null])
    }

    func update(_ id: String, _ old: DeployedResource, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource? {
        guard p["FunctionName"] == old.properties["FunctionName"], let name = old.ref.stringValue else { return nil }
        var request = input(p, name: name, stack: stack)
        if request["Environment"] == nil { request["Environment"] = ["Variables": [:]] }
        _ = try await stack.call("lambda", "UpdateFunctionConfiguration", .object(request))
        var updated = old
        updated.properties = p
        return updated
    }

    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws {
        _ = try await stack.call("lambda", "DeleteFunction", ["FunctionName": deployed.ref])
    }
}

/// AWS::Lambda::EventSourceMapping: Ref is the mapping's UUID.
struct EventSourceMappingProvider: ResourceProvider {
    static let settable = ["BatchSize", "Enabled", "MaximumBatchingWindowInSeconds", "FunctionResponseTypes", "ScalingConfig",
                           "MaximumRetryAttempts", "BisectBatchOnFunctionError", "MaximumRecordAgeInSeconds",
                           "ParallelizationFactor", "FilterCriteria", "DestinationConfig"]

    func create(_ id: String, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        guard let source = p["EventSourceArn"], let function = p["FunctionName"] else {
            throw TemplateError(resource: id, property: "EventSourceArn", "a mapping needs EventSourceArn and FunctionName.")
        }
        var input: JSONObject = ["EventSourceArn": source, "FunctionName": function]
        for key in Self.settable + ["StartingPosition", "StartingPositionTimestamp"] { if let v = p[key] { input.append(key, v) } }
        let created = try await stack.call("lambda", "CreateEventSourceMapping", .object(input))
        let uuid = created["UUID"] ?? .null
        return DeployedResource(type: "AWS::Lambda::EventSourceMapping", properties: p, ref: uuid, attributes: ["Id": uuid])
    }

    func update(_ id: String, _ old: DeployedResource, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource? {
        let fixed: Set<String> = ["EventSourceArn", "StartingPosition", "StartingPositionTimestamp"]
        guard JSONObject(p.members.filter { fixed.contains($0.key) }) == JSONObject(old.properties.members.filter { fixed.contains($0.key) })
        else { return nil }
        var input: JSONObject = ["UUID": old.ref, "FunctionName": p["FunctionName"] ?? .null]
        for key in Self.settable { if let v = p[key] { input.append(key, v) } }
        _ = try await stack.call("lambda", "UpdateEventSourceMapping", .object(input))
        var updated = old
        updated.properties = p
        return updated
    }

    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws {
        _ = try await stack.call("lambda", "DeleteEventSourceMapping", ["UUID": deployed.ref])
    }
}

/// AWS::Lambda::Permission: a statement in the function's resource policy.
struct LambdaPermissionProvider: ResourceProvider {
    func create(_ id: String, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        guard let function = p["FunctionName"], let action = p["Action"], let principal = p["Principal"] else {
            throw TemplateError(resource: id, property: "FunctionName", "a permission needs FunctionName, Action and Principal.")
        }
        var input: JSONObject = ["FunctionName": function, "StatementId": .string(id), "Action": action, "Principal": principal]
        for key in ["SourceArn", "SourceAccount", "EventSourceToken", "FunctionUrlAuthType"] { if let v = p[key] { input.append(key, v) } }
        _ = try await stack.call("lambda", "AddPermission", .object(input))
        return DeployedResource(type: "AWS::Lambda::Permission", properties: p, ref: .string(id), attributes: [:])
    }

    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws {
        _ = try? await stack.call("lambda", "RemovePermission", ["FunctionName": deployed.properties["FunctionName"] ?? .null,
                                                                 "StatementId": .string(id)])
    }
}
