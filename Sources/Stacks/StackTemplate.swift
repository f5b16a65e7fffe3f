import JSON

/// A template parsed once into its sections, checked for the structure
/// CloudFormation requires before anything is deployed.
public struct StackTemplate: Sendable {
    public struct Parameter: Sendable {
        public var name: String
        public var type: String
        public var defaultValue: JSONValue?
        public var allowedValues: [String]?
        public var noEcho: Bool
    }

    public struct Resource: Sendable {
        public var logicalId: String
        public var type: String
        public var properties: JSONObject
        public var dependsOn: [String]
        public var condition: String?
        public var deletionPolicy: String?
    }

    public struct Output: Sendable {
        public var name: String
        public var value: JSONValue
        public var description: String?
        public var condition: String?
    }

    public var parameters: [Parameter]
    public var mappings: JSONObject
    public var conditions: JSONObject
    public var resources: [Resource]
    public var outputs: [Output]
    public var globals: JSONObject
    public var transforms: [String]

    public init(_ document: JSONValue) throws {
        guard let root = document.objectValue else { throw TemplateError("A template is a JSON or YAML object.") }
        let known: Set<String> = ["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
                                  "Conditions", "Transform", "Resources", "Outputs", "Globals"]
        for key in root.keys where !known.contains(key) {
            throw TemplateError("Invalid template property or properties [\(key)]")
        }
        switch root["Transform"] {
        case .string(let t)?: transforms = [t]
        case .array(let list)?: transforms = list.compactMap(\.stringValue)
        default: transforms = []
        }
        globals = root["Globals"]?.objectValue ?? JSONObject()
        mappings = root["Mappings"]?.objectValue ?? JSONObject()
        conditions = root["Conditions"]?.objectValue ?? JSONObject()

        parameters = []
        for member in root["Parameters"]?.objectValue ?? JSONObject() {
            guard let o = member.value.objectValue, let type = o["Type"]?.stringValue else {
                throw TemplateError("Parameter \(member.key): every parameter needs a Type.")
            }
            parameters.append(Parameter(name: member.key, type: type, defaultValue: o["Default"],
                                        allowedValues: o["AllowedValues"]?.arrayValue?.map(Self.text),
                                        noEcho: o["NoEcho"]?.boolValue ?? false))
        }

        guard let resources = root["Resources"]?.objectValue, !resources.isEmpty else {
            throw TemplateError("The template has no Resources: a template must declare at least one resource.")
        }
        self.resources = []
        for member in resources {
            guard let o = member.value.objectValue else {
                throw TemplateError(resource: member.key, "a resource is an object with a Type.")
            }
            guard let type = o["Type"]?.stringValue, !type.isEmpty else {
                throw TemplateError(resource: member.key, "the resource has no Type.")
            }
            if let properties = o["Properties"], properties.objectValue == nil {
                throw TemplateError(resource: member.key, property: "Properties", "Properties must be an object.")
            }
            let dependsOn: [String]
            switch o["DependsOn"] {
            case .string(let one)?: dependsOn = [one]
            case .array(let list)?: dependsOn = list.compactMap(\.stringValue)
            default: dependsOn = []
            }
            self.resources.append(Resource(logicalId: member.key, type: type, properties: o["Properties"]?.objectValue ?? JSONObject(),
                                           dependsOn: dependsOn, condition: o["Condition"]?.stringValue,
                                           deletionPolicy: o["DeletionPolicy"]?.stringValue))
        }

        outputs = []
        for member in root["Outputs"]?.objectValue ?? JSONObject() {
            guard let o = member.value.objectValue, let value = o["Value"] else {
                throw TemplateError("Output \(member.key): every output needs a Value.")
            }
            outputs.append(Output(name: member.key, value: value, description: o["Description"]?.stringValue,
                                  condition: o["Condition"]?.stringValue))
        }
    }

    /// Parameter values and allowed values are strings to CloudFormation.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        default: value.jsonString
        }
    }
}
