import Wire

/// The Lambda operations Offcloud serves, with their restJson1 bindings.
public enum LambdaOperation: String, CaseIterable, Sendable {
    case createFunction = "CreateFunction"
    case getFunction = "GetFunction"
    case getFunctionConfiguration = "GetFunctionConfiguration"
    case listFunctions = "ListFunctions"
    case deleteFunction = "DeleteFunction"
    case updateFunctionConfiguration = "UpdateFunctionConfiguration"
    case invoke = "Invoke"
    case createEventSourceMapping = "CreateEventSourceMapping"
    case getEventSourceMapping = "GetEventSourceMapping"
    case listEventSourceMappings = "ListEventSourceMappings"
    case updateEventSourceMapping = "UpdateEventSourceMapping"
    case deleteEventSourceMapping = "DeleteEventSourceMapping"
    case updateFunctionCode = "UpdateFunctionCode"
    case addPermission = "AddPermission"
    case removePermission = "RemovePermission"
    case getPolicy = "GetPolicy"
    case tagResource = "TagResource"
    case untagResource = "UntagResource"
    case listTags = "ListTags"
    case getAccountSettings = "GetAccountSettings"
    case publishVersion = "PublishVersion"
    case listVersionsByFunction = "ListVersionsByFunction"
    case createAlias = "CreateAlias"
    case getAlias = "GetAlias"
    case updateAlias = "UpdateAlias"
    case deleteAlias = "DeleteAlias"
    case listAliases = "ListAliases"

    static let routes: [RestJSONRoute] = [
        RestJSONRoute("CreateFunction", "POST", "/2015-03-31/functions", status: 201),
        RestJSONRoute("ListFunctions", "GET", "/2015-03-31/functions", query: ["Marker": "Marker", "MaxItems": "MaxItems"]),
        RestJSONRoute("GetFunction", "GET", "/2015-03-31/functions/{FunctionName}", query: ["Qualifier": "Qualifier"]),
        RestJSONRoute("DeleteFunction", "DELETE", "/2015-03-31/functions/{FunctionName}", status: 204, query: ["Qualifier": "Qualifier"]),
        RestJSONRoute("GetFunctionConfiguration", "GET", "/2015-03-31/functions/{FunctionName}/configuration",
                      query: ["Qualifier": "Qualifier"]),
        RestJSONRoute("UpdateFunctionConfiguration", "PUT", "/2015-03-31/functions/{FunctionName}/configuration"),
        RestJSONRoute("Invoke", "POST", "/2015-03-31/functions/{FunctionName}/invocations", query: ["Qualifier": "Qualifier"],
                      headers: ["X-Amz-Invocation-Type": "InvocationType", "X-Amz-Log-Type": "LogType",
                                "X-Amz-Client-Context": "ClientContext"],
                      payload: "Payload",
                      outputHeaders: ["FunctionError": "X-Amz-Function-Error", "LogResult": "X-Amz-Log-Result",
                                      "ExecutedVersion": "X-Amz-Executed-Version"],
                      outputPayload: "Payload", outputStatus: "StatusCode"),
        RestJSONRoute("CreateEventSourceMapping", "POST", "/2015-03-31/event-source-mappings", status: 202),
        RestJSONRoute("ListEventSourceMappings", "GET", "/2015-03-31/event-source-mappings",
                      query: ["EventSourceArn": "EventSourceArn", "FunctionName": "FunctionName", "Marker": "Marker", "MaxItems": "MaxItems"]),
        RestJSONRoute("GetEventSourceMapping", "GET", "/2015-03-31/event-source-mappings/{UUID}"),
        RestJSONRoute("UpdateEventSourceMapping", "PUT", "/2015-03-31/event-source-mappings/{UUID}", status: 202),
        RestJSONRoute("DeleteEventSourceMapping", "DELETE", "/2015-03-31/event-source-mappings/{UUID}", status: 202),
        RestJSONRoute("UpdateFunctionCode", "PUT", "/2015-03-31/functions/{FunctionName}/code"),
        RestJSONRoute("AddPermission", "POST", "/2015-03-31/functions/{FunctionName}/policy", status: 201, query: ["Qualifier": "Qualifier"]),
        RestJSONRoute("GetPolicy", "GET", "/2015-03-31/functions/{FunctionName}/policy", query: ["Qualifier": "Qualifier"]),
        RestJSONRoute("RemovePermission", "DELETE", "/2015-03-31/functions/{FunctionName}/policy/{StatementId}", status: 204,
                      query: ["Qualifier": "Qualifier", "RevisionId": "RevisionId"]),
        RestJSONRoute("TagResource", "POST", "/2017-03-31/tags/{Resource}", status: 204),
        RestJSONRoute("UntagResource", "DELETE", "/2017-03-31/tags/{Resource}", status: 204, query: ["tagKeys": "TagKeys"],
                      listQuery: ["TagKeys"]),
        RestJSONRoute("ListTags", "GET", "/2017-03-31/tags/{Resource}"),
        RestJSONRoute("GetAccountSettings", "GET", "/2016-08-19/account-settings"),
        RestJSONRoute("PublishVersion", "POST", "/2015-03-31/functions/{FunctionName}/versions", status: 201),
        RestJSONRoute("ListVersionsByFunction", "GET", "/2015-03-31/functions/{FunctionName}/versions",
                      query: ["Marker": "Marker", "MaxItems": "MaxItems"]),
        RestJSONRoute("CreateAlias", "POST", "/2015-03-31/functions/{FunctionName}/aliases", status: 201),
        RestJSONRoute("ListAliases", "GET", "/2015-03-31/functions/{FunctionName}/aliases",
                      query: ["FunctionVersion": "FunctionVersion", "Marker": "Marker", "MaxItems": "MaxItems"]),
        RestJSONRoute("GetAlias", "GET", "/2015-03-31/functions/{FunctionName}/aliases/{Name}"),
        RestJSONRoute("UpdateAlias", "PUT", "/2015-03-31/functions/{FunctionName}/aliases/{Name}"),
        RestJSONRoute("DeleteAlias", "DELETE", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", status: 204),
    ]
}
