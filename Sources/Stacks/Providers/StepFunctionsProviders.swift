import Foundation
import JSON

/// AWS::StepFunctions::StateMachine: Ref is the ARN; Arn and Name are attributes. The
/// definition comes from `Definition`, `DefinitionString` or SAM's `DefinitionUri`
/// (a path next to the template), with `${Name}` DefinitionSubstitutions applied.
struct StateMachineProvider: ResourceProvider {
    func definition(_ id: String, _ p: JSONObject, _ stack: StackContext) throws -> String {
        var text: String
        if let definition = p["Definition"], definition.objectValue != nil {
            text = definition.jsonString
        } else if let string = p["DefinitionString"]?.stringValue {
            text = string
        } else if let uri = p["DefinitionUri"]?.stringValue {
            let url = URL(fileURLWithPath: uri, relativeTo: stack.templateDirectory)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw TemplateError(resource: id, property: "DefinitionUri", "cannot read \(url.path).")
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            throw TemplateError(resource: id, property: "Definition", "a state machine needs Definition, DefinitionString or DefinitionUri.")
        }
        for member in p["DefinitionSubstitutions"]?.objectValue ?? JSONObject() {
            text = text.replacingOccurrences(of: "${\(member.key)}", with: StackTemplate.text(member.value))
        }
        return text
    }

    func create(_ id: String, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        let name = p["StateMachineName"]?.stringValue ?? stack.physicalName(id, maxLength: 80)
        var input: JSONObject = ["name": .string(name), "definition": .string(try definition(id, p, stack)),
                                 "roleArn": p["RoleArn"] ?? .string("arn:aws:iam::\(stack.accountId):role/\(name)-role")]
        if let type = p["StateMachineType"] { input.append("type", type) }
        if let tags = p["Tags"]?.arrayValue {
            input.append("tags", .array(tags.map { ["key": $0["Key"] ?? "", "value": $0["Value"] ?? ""] }))
        }
        let arn = try await stack.call("stepfunctions", "CreateStateMachine", .object(input))["stateMachineArn"] ?? .null
        return DeployedResource(type: "AWS::StepFunctions::StateMachine", properties: p, ref: arn,
                                attributes: ["Arn": arn, "Name": .string(name)])
    }

    func update(_ id: String, _ old: DeployedResource, _ p: JSONObject, _ stack: StackContext) async throws -> DeployedResource? {
        guard p["StateMachineName"] == old.properties["StateMachineName"], p["StateMachineType"] == old.properties["StateMachineType"] else {
            return nil
        }
        var input: JSONObject = ["stateMachineArn": old.ref, "definition": .string(try definition(id, p, stack))]
        if let role = p["RoleArn"] { input.append("roleArn", role) }
        _ = try await stack.call("stepfunctions", "UpdateStateMachine", .object(input))
        var updated = old
        updated.properties = p
        return updated
    }

    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws {
        _ = try await stack.call("stepfunctions", "DeleteStateMachine", ["stateMachineArn": deployed.ref])
    }
}
