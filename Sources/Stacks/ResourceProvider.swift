import Foundation
import JSON
import Lambda
import Wire

/// What a deployed resource answers to `Ref` and `Fn::GetAtt`, and the resolved
/// properties it was deployed with (a redeploy with the same ones changes nothing).
struct DeployedResource: Sendable {
    var type: String
    var properties: JSONObject
    var ref: JSONValue
    var attributes: [String: JSONValue]

    var json: JSONValue {
        ["Type": .string(type), "Properties": .object(properties), "Ref": ref, "Attributes": .object(JSONObject(attributes.sorted { $0.key < $1.key }.map { .init($0.key, $0.value) }))]
    }

    init(type: String, properties: JSONObject, ref: JSONValue, attributes: [String: JSONValue]) {
        self.type = type
        self.properties = properties
        self.ref = ref
        self.attributes = attributes
    }

    init?(_ json: JSONValue) {
        guard let type = json["Type"]?.stringValue, let properties = json["Properties"]?.objectValue, let ref = json["Ref"] else { return nil }
        self.type = type
        self.properties = properties
        self.ref = ref
        var attributes: [String: JSONValue] = [:]
        for member in json["Attributes"]?.objectValue ?? JSONObject() { attributes[member.key] = member.value }
        self.attributes = attributes
    }
}

/// The stack being deployed, as providers need it.
struct StackContext: Sendable {
    var aws: any InProcessAWS
    var stackName: String
    var accountId: String
    var region: String
    /// Where `DefinitionUri` and other relative paths are read from.
    var templateDirectory: URL
    var log: @Sendable (String) -> Void

    /// CloudFormation's generated physical names: `stack-LogicalId-SUFFIX`, stable
    /// for a stack and logical id so redeploys keep the same resource.
    func physicalName(_ logicalId: String, maxLength: Int, suffix: String = "") -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "\(stackName)/\(logicalId)".utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var tail = ""
        for _ in 0..<12 {
            tail.append(alphabet[Int(hash % 36)])
            hash /= 36
        }
        let room = max(2, maxLength - tail.count - suffix.count - 2)
        var head = "\(stackName)-\(logicalId)"
        if head.count > room { head = String(head.prefix(room)) }
        return "\(head)-\(tail)\(suffix)"
    }

    func call(_ service: String, _ operation: String, _ input: JSONValue) async throws -> JSONValue {
        try await aws.call(service: service, operation: operation, input: input)
    }
}

/// Creates, updates and deletes one resource type through the emulated services'
/// own operations, as CloudFormation's handlers do through their APIs.
protocol ResourceProvider: Sendable {
    func create(_ id: String, _ properties: JSONObject, _ stack: StackContext) async throws -> DeployedResource
    /// nil when the change needs a replacement (delete, then create).
    func update(_ id: String, _ old: DeployedResource, _ properties: JSONObject, _ stack: StackContext) async throws -> DeployedResource?
    func delete(_ id: String, _ deployed: DeployedResource, _ stack: StackContext) async throws
}

extension ResourceProvider {
    func update(_ id: String, _ old: DeployedResource, _ properties: JSONObject, _ stack: StackContext) async throws -> DeployedResource? {
        nil
    }
}

/// Property helpers shared by providers.
enum Properties {
    /// CloudFormation's `[{Key, Value}]` tags as a name → value map.
    static func tagMap(_ value: JSONValue?) -> JSONValue? {
        guard let list = value?.arrayValue else { return value?.objectValue.map { .object($0) } }
        var o = JSONObject()
        for tag in list {
            if let key = tag["Key"]?.stringValue { o[key] = .string(StackTemplate.text(tag["Value"] ?? "")) }
        }
        return .object(o)
    }

    /// A property that is JSON in the template but a string in the API (policies, redrive policies).
    static func jsonText(_ value: JSONValue) -> JSONValue {
        if case .string = value { return value }
        return .string(value.jsonString)
    }

    /// PascalCase members to the camelCase the restJson APIs use, except inside maps of user data.
    static func camelCased(_ value: JSONValue, keepingKeysOf keep: Set<String> = []) -> JSONValue {
        switch value {
        case .object(let o):
            var out = JSONObject()
            for member in o {
                let name = member.key.prefix(1).lowercased() + member.key.dropFirst()
                out.append(name, keep.contains(member.key) ? member.value : camelCased(member.value, keepingKeysOf: keep))
            }
            return .object(out)
        case .array(let list):
            return .array(list.map { camelCased($0, keepingKeysOf: keep) })
        default:
            return value
        }
    }

    /// The same properties without `names`.
    static func without(_ o: JSONObject, _ names: Set<String>) -> JSONObject {
        JSONObject(o.members.filter { !names.contains($0.key) })
    }
}
