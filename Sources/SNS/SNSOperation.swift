import Wire

/// Every operation in the SNS API (botocore's `sns` 2010-03-31 model).
public enum SNSOperation: String, CaseIterable, Sendable {
    case addPermission = "AddPermission"
    case checkIfPhoneNumberIsOptedOut = "CheckIfPhoneNumberIsOptedOut"
    case confirmSubscription = "ConfirmSubscription"
    case createPlatformApplication = "CreatePlatformApplication"
    case createPlatformEndpoint = "CreatePlatformEndpoint"
    case createSMSSandboxPhoneNumber = "CreateSMSSandboxPhoneNumber"
    case createTopic = "CreateTopic"
    case deleteEndpoint = "DeleteEndpoint"
    case deletePlatformApplication = "DeletePlatformApplication"
    case deleteSMSSandboxPhoneNumber = "DeleteSMSSandboxPhoneNumber"
    case deleteTopic = "DeleteTopic"
    case getDataProtectionPolicy = "GetDataProtectionPolicy"
    case getEndpointAttributes = "GetEndpointAttributes"
    case getPlatformApplicationAttributes = "GetPlatformApplicationAttributes"
    case getSMSAttributes = "GetSMSAttributes"
    case getSMSSandboxAccountStatus = "GetSMSSandboxAccountStatus"
    case getSubscriptionAttributes = "GetSubscriptionAttributes"
    case getTopicAttributes = "GetTopicAttributes"
    case listEndpointsByPlatformApplication = "ListEndpointsByPlatformApplication"
    case listOriginationNumbers = "ListOriginationNumbers"
    case listPhoneNumbersOptedOut = "ListPhoneNumbersOptedOut"
    case listPlatformApplications = "ListPlatformApplications"
    case listSMSSandboxPhoneNumbers = "ListSMSSandboxPhoneNumbers"
    case listSubscriptions = "ListSubscriptions"
    case listSubscriptionsByTopic = "ListSubscriptionsByTopic"
    case listTagsForResource = "ListTagsForResource"
    case listTopics = "ListTopics"
    case optInPhoneNumber = "OptInPhoneNumber"
    case publish = "Publish"
    case publishBatch = "PublishBatch"
    case putDataProtectionPolicy = "PutDataProtectionPolicy"
    case removePermission = "RemovePermission"
    case setEndpointAttributes = "SetEndpointAttributes"
    case setPlatformApplicationAttributes = "SetPlatformApplicationAttributes"
    case setSMSAttributes = "SetSMSAttributes"
    case setSubscriptionAttributes = "SetSubscriptionAttributes"
    case setTopicAttributes = "SetTopicAttributes"
    case subscribe = "Subscribe"
    case tagResource = "TagResource"
    case unsubscribe = "Unsubscribe"
    case untagResource = "UntagResource"
    case verifySMSSandboxPhoneNumber = "VerifySMSSandboxPhoneNumber"
}

/// How SNS's members are spelled in the query protocol: wrapped lists
/// (`Tags.member.1.Key`) and wrapped maps (`Attributes.entry.1.key`), in and out.
extension SNSOperation {
    private static let stringMap = QueryShape.map(key: "key", value: "value", .scalar, entry: "entry")
    private static let attributes = QueryMember("Attributes", stringMap)
    private static let tags = QueryMember("Tags", .list(.structure([]), member: "member"))
    private static let messageAttributes = QueryMember(
        "MessageAttributes", .map(key: "Name", value: "Value", .structure([]), entry: "entry"))
    private static let subscriptions = QueryMember("Subscriptions", .list(.structure([]), member: "member"))
    /// Operations whose model has a (memberless) result wrapper: botocore expects `<XResult/>`.
    private static let emptyResult = QueryShape.structure([QueryMember("-", .scalar)])
    private static func stringList(_ name: String) -> QueryMember { QueryMember(name, .list(.scalar, member: "member")) }
    private static func attributesOut(_ wrapper: String = "Attributes") -> QueryOperationSchema {
        QueryOperationSchema(output: .structure([QueryMember(wrapper, stringMap)]))
    }

    var querySchema: QueryOperationSchema {
        switch self {
        case .createTopic:
            return QueryOperationSchema(input: .structure([Self.attributes, Self.tags]))
        case .getTopicAttributes, .getSubscriptionAttributes, .getEndpointAttributes, .getPlatformApplicationAttributes:
            return Self.attributesOut()
        case .subscribe, .createPlatformApplication, .createPlatformEndpoint, .setEndpointAttributes,
             .setPlatformApplicationAttributes:
            return QueryOperationSchema(input: .structure([Self.attributes]))
        case .listTopics:
            return QueryOperationSchema(output: .structure([QueryMember("Topics", .list(.structure([]), member: "member"))]))
        case .listSubscriptions, .listSubscriptionsByTopic:
            return QueryOperationSchema(output: .structure([Self.subscriptions]))
        case .publish:
            return QueryOperationSchema(input: .structure([Self.messageAttributes]))
        case .publishBatch:
            return QueryOperationSchema(
                input: .structure([QueryMember("PublishBatchRequestEntries",
                                               .list(.structure([Self.messageAttributes]), member: "member"))]),
                output: .structure([QueryMember("Successful", .list(.structure([]), member: "member")),
                                    QueryMember("Failed", .list(.structure([]), member: "member"))]))
        case .tagResource:
            return QueryOperationSchema(input: .structure([Self.tags]), output: Self.emptyResult)
        case .untagResource:
            return QueryOperationSchema(input: .structure([Self.stringList("TagKeys")]), output: Self.emptyResult)
        case .listTagsForResource:
            return QueryOperationSchema(output: .structure([Self.tags]))
        case .addPermission:
            return QueryOperationSchema(input: .structure([Self.stringList("AWSAccountId"), Self.stringList("ActionName")]))
        case .listPlatformApplications:
            return QueryOperationSchema(output: .structure([
                QueryMember("PlatformApplications", .list(.structure([Self.attributes]), member: "member"))]))
        case .listEndpointsByPlatformApplication:
            return QueryOperationSchema(output: .structure([
                QueryMember("Endpoints", .list(.structure([Self.attributes]), member: "member"))]))
        case .getSMSAttributes:
            return QueryOperationSchema(input: .structure([Self.stringList("attributes")]),
                                        output: .structure([QueryMember("attributes", Self.stringMap)]))
        case .setSMSAttributes:
            return QueryOperationSchema(input: .structure([QueryMember("attributes", Self.stringMap)]), output: Self.emptyResult)
        case .optInPhoneNumber, .createSMSSandboxPhoneNumber, .deleteSMSSandboxPhoneNumber, .verifySMSSandboxPhoneNumber:
            return QueryOperationSchema(output: Self.emptyResult)
        case .listPhoneNumbersOptedOut:
            return QueryOperationSchema(output: .structure([Self.stringList("phoneNumbers")]))
        case .listSMSSandboxPhoneNumbers, .listOriginationNumbers:
            return QueryOperationSchema(output: .structure([QueryMember("PhoneNumbers", .list(.structure([]), member: "member"))]))
        case .confirmSubscription, .deleteTopic, .setTopicAttributes, .setSubscriptionAttributes, .unsubscribe,
             .removePermission, .checkIfPhoneNumberIsOptedOut, .deleteEndpoint,
             .deletePlatformApplication, .getDataProtectionPolicy, .getSMSSandboxAccountStatus, .putDataProtectionPolicy:
            return QueryOperationSchema()
        }
    }
}
