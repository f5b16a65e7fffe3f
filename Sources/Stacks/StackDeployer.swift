import Foundation
import JSON
import Lambda
import Storage
import Wire

/// An Output of a deployed stack, printed at start-up.
public struct StackOutput: Sendable, Equatable {
    public var name: String
    public var value: String
    public var description: String?
}

/// Deploys a CloudFormation/SAM template into the emulated services, idempotently:
/// resources are created in dependency order, a resource whose resolved properties
/// are unchanged since the last deploy is left alone, a changed one is updated (or
/// replaced when its type cannot change in place), and one no longer in the template
/// is deleted.
public struct StackDeployer: Sendable {
    let store: StackStore
    let aws: any InProcessAWS
    let accountId: String
    let region: String
    let log: @Sendable (String) -> Void

    public init(database: Database, aws: any InProcessAWS, accountId: String, region: String,
                log: @escaping @Sendable (String) -> Void) async throws {
        try await database.migrate(StackStore.migrations)
        self.store = StackStore(database: database)
        self.aws = aws
        self.accountId = accountId
        self.region = region
        self.log = log
    }

    static func provider(for type: String) -> (any ResourceProvider)? {
        switch type {
        case "AWS::SQS::Queue": SQSQueueProvider()
        case "AWS::SQS::QueuePolicy": SQSQueuePolicyProvider()
        case "AWS::SNS::Topic": SNSTopicProvider()
        case "AWS::SNS::Subscription": SNSSubscriptionProvider()
        case "AWS::DynamoDB::Table": DynamoDBTableProvider()
        case "AWS::Lambda::Function": LambdaFunctionProvider()
        case "AWS::Lambda::EventSourceMapping": EventSourceMappingProvider()
        case "AWS::Lambda::Permission": LambdaPermissionProvider()
        case "AWS::StepFunctions::StateMachine": StateMachineProvider()
        default:
            if type.hasPrefix("AWS::ApiGatewayV2::"), let kind = APIGatewayV2Provider.Kind(rawValue: String(type.dropFirst(19))) {
                APIGatewayV2Provider(kind: kind)
            } else {
                nil
            }
        }
    }

    public func deploy(templateAt path: String, stackName: String = "offcloud", parameterOverrides: [String: String] = [:]) async throws -> [StackOutput] {
        guard let data = FileManager.default.contents(atPath: path) else { throw TemplateError("Cannot read the template \(path).") }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try await deploy(String(decoding: data, as: UTF8.self), directory: directory, stackName: stackName,
                                parameterOverrides: parameterOverrides)
    }

    public func deploy(_ text: String, directory: URL, stackName: String = "offcloud", parameterOverrides: [String: String] = [:]) async throws -> [StackOutput] {
        var template = try StackTemplate(TemplateDocument.parse(text))
        if template.transforms.contains(where: { $0.hasPrefix("AWS::Serverless") })
            || template.resources.contains(where: { $0.type.hasPrefix("AWS::Serverless::") }) {
            try SAMTransform.expand(&template, stackName: stackName)
        }
        var intrinsics = Intrinsics(parameters: try parameters(template, stackName: stackName, overrides: parameterOverrides),
                                    mappings: template.mappings, region: region)
        intrinsics.conditions = try conditions(template, intrinsics)
        let active = template.resources.filter { $0.condition.map { intrinsics.conditions[$0] ?? false } ?? true }
        for resource in template.resources {
            if let condition = resource.condition, intrinsics.conditions[condition] == nil {
                throw TemplateError(resource: resource.logicalId, property: "Condition", "the condition \(condition) is not declared.")
            }
        }
        let order = try Self.order(active, known: Set(intrinsics.parameters.keys), all: Set(template.resources.map(\.logicalId)))
        let stack = StackContext(aws: aws, stackName: stackName, accountId: accountId, region: region, templateDirectory: directory, log: log)

        var (previous, previousOrder) = try await store.load(stackName)
        var created: [String] = previousOrder
        var changes = 0
        // Resources that left the template go first, newest first, so names can be reused.
        let keep = Set(order.map(\.logicalId))
        for id in previousOrder.reversed() where !keep.contains(id) {
            guard let old = previous[id] else { continue }
            try await remove(id, old, stack)
            changes += 1
            previous[id] = nil
            created.removeAll { $0 == id }
            try await store.save(stackName, previous, order: created)
        }
        for resource in order {
            let id = resource.logicalId
            intrinsics.resource = id
            intrinsics.property = nil
            var properties = JSONObject()
            for member in resource.properties {
                intrinsics.property = member.key
                if let value = try intrinsics.resolve(member.value) { properties.append(member.key, value) }
            }
            intrinsics.property = nil
            let result: DeployedResource
            if let old = previous[id], old.type == resource.type, old.properties == properties {
                result = old
            } else if Self.provider(for: resource.type) == nil, previous[id] == nil || previous[id]?.type == resource.type {
                result = try await create(resource, properties, stack)
                if previous[id] == nil { created.append(id) }
            } else if let old = previous[id], old.type == resource.type, let provider = Self.provider(for: resource.type),
                      let updated = try await wrap(id, { try await provider.update(id, old, properties, stack) }) {
                log("stack \(stackName): updated \(id) (\(resource.type))")
                result = updated
                changes += 1
            } else {
                if let old = previous[id] { try await remove(id, old, stack) }
                result = try await create(resource, properties, stack)
                created.removeAll { $0 == id }
                created.append(id)
                changes += 1
            }
            previous[id] = result
            intrinsics.refs[id] = result.ref
            intrinsics.attributes[id] = result.attributes
            try await store.save(stackName, previous, order: created)
        }
        let outputs = try outputs(template, intrinsics)
        log("stack \(stackName) deployed: \(order.count) resources, \(changes == 0 ? "no changes" : "\(changes) changed")")
        return outputs
    }

    func create(_ resource: StackTemplate.Resource, _ properties: JSONObject, _ stack: StackContext) async throws -> DeployedResource {
        let id = resource.logicalId
        guard let provider = Self.provider(for: resource.type) else {
            log("stack \(stack.stackName): \(id) (\(resource.type)) is not emulated; accepted and ignored")
            return IgnoredResource.deployed(id, type: resource.type, properties, stack)
        }
        let result = try await wrap(id) { try await provider.create(id, properties, stack) }
        log("stack \(stack.stackName): created \(id) (\(resource.type))")
        return result
    }

    func remove(_ id: String, _ old: DeployedResource, _ stack: StackContext) async throws {
        guard let provider = Self.provider(for: old.type) else { return }
        try await wrap(id) { try await provider.delete(id, old, stack) }
        log("stack \(stack.stackName): deleted \(id) (\(old.type))")
    }

    /// A service's refusal becomes a template error naming the resource.
    func wrap<T>(_ id: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as TemplateError {
            throw error
        } catch let error as any AWSServiceError {
            throw TemplateError(resource: id, "\(error.code): \(error.message)")
        } catch let error as LambdaFunctionError {
            throw TemplateError(resource: id, "\(error.errorType): \(error.errorMessage)")
        } catch {
            throw TemplateError(resource: id, "\(error)")
        }
    }

    func parameters(_ template: StackTemplate, stackName: String, overrides: [String: String]) throws -> [String: JSONValue] {
        var values: [String: JSONValue] = [
            "AWS::AccountId": .string(accountId), "AWS::Region": .string(region), "AWS::StackName": .string(stackName),
            "AWS::StackId": .string("arn:aws:cloudformation:\(region):\(accountId):stack/\(stackName)/offcloud"),
            "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::NotificationARNs": .array([]),
        ]
        let declared = Set(template.parameters.map(\.name))
        for name in overrides.keys.sorted() where !declared.contains(name) {
            throw TemplateError("Parameter \(name) is not declared in the template.")
        }
        for parameter in template.parameters {
            guard let text = overrides[parameter.name] ?? parameter.defaultValue.map(StackTemplate.text) else {
                throw TemplateError("Parameter \(parameter.name) has no Default: give it a value with --parameter-overrides \(parameter.name)=….")
            }
            if let allowed = parameter.allowedValues, !allowed.contains(text) {
                throw TemplateError("Parameter \(parameter.name) must be one of \(allowed.joined(separator: ", ")); it is \(text).")
            }
            if parameter.type == "Number", Double(text) == nil {
                throw TemplateError("Parameter \(parameter.name) is a Number; \(text) is not.")
            }
            let list = parameter.type == "CommaDelimitedList" || parameter.type.hasPrefix("List<")
            values[parameter.name] = list ? .array(text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
                                          : .string(text)
        }
        return values
    }

    /// Conditions may name each other; each is evaluated once the ones it names are known.
    func conditions(_ template: StackTemplate, _ intrinsics: Intrinsics) throws -> [String: Bool] {
        var resolver = intrinsics
        var pending = template.conditions.members
        while !pending.isEmpty {
            var progressed = false
            var lastError: Error?
            for member in pending {
                do {
                    resolver.conditions[member.key] = try resolver.condition(member.value)
                    pending.removeAll { $0.key == member.key }
                    progressed = true
                } catch {
                    lastError = error
                }
            }
            if !progressed {
                throw lastError.map { TemplateError("Condition \(pending[0].key): \($0)") } ?? TemplateError("Conditions refer to each other in a cycle.")
            }
        }
        return resolver.conditions
    }

    /// Dependency order (template order among independents); a cycle or a reference to
    /// nothing the template declares is an error naming the resource.
    static func order(_ resources: [StackTemplate.Resource], known: Set<String>, all: Set<String>) throws -> [StackTemplate.Resource] {
        let ids = Set(resources.map(\.logicalId))
        var needs: [String: Set<String>] = [:]
        for resource in resources {
            var found = Set<String>()
            Intrinsics.references(in: .object(resource.properties), into: &found)
            for name in found where !known.contains(name) && !all.contains(name) && !name.hasPrefix("AWS::") {
                throw TemplateError(resource: resource.logicalId, "Unresolved reference \(name): it names no parameter or resource.")
            }
            for dependency in resource.dependsOn where !all.contains(dependency) {
                throw TemplateError(resource: resource.logicalId, property: "DependsOn", "\(dependency) is not a resource of the template.")
            }
            needs[resource.logicalId] = found.union(resource.dependsOn).intersection(ids).subtracting([resource.logicalId])
        }
        var ordered: [StackTemplate.Resource] = []
        var done = Set<String>()
        var remaining = resources
        while !remaining.isEmpty {
            guard let next = remaining.firstIndex(where: { needs[$0.logicalId]!.isSubset(of: done) }) else {
                let cycle = remaining.map(\.logicalId).sorted().joined(separator: ", ")
                throw TemplateError("Circular dependency between resources: [\(cycle)]")
            }
            let resource = remaining.remove(at: next)
            ordered.append(resource)
            done.insert(resource.logicalId)
        }
        return ordered
    }

    func outputs(_ template: StackTemplate, _ intrinsics: Intrinsics) throws -> [StackOutput] {
        var resolver = intrinsics
        var outputs: [StackOutput] = []
        for output in template.outputs {
            if let condition = output.condition, resolver.conditions[condition] != true { continue }
            resolver.resource = "Outputs.\(output.name)"
            guard let value = try resolver.resolve(output.value) else { continue }
            outputs.append(StackOutput(name: output.name, value: StackTemplate.text(value), description: output.description))
        }
        return outputs
    }
}
