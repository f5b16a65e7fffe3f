import Digest
import Foundation
import JSON
import Wire

/// A function as GetFunctionConfiguration describes it; stored as that JSON.
struct FunctionConfiguration: Sendable {
    var json: JSONObject

    var name: String { json["FunctionName"]?.stringValue ?? "" }
    var arn: String { json["FunctionArn"]?.stringValue ?? "" }
    var handler: String { json["Handler"]?.stringValue ?? "" }
    var timeout: Int { json["Timeout"]?.intValue ?? 3 }
    var environment: [String: String] {
        var env: [String: String] = [:]
        for m in json["Environment"]?["Variables"]?.objectValue ?? JSONObject() { env[m.key] = m.value.stringValue }
        return env
    }

    static func timestamp(_ milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS+0000"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// Validates CreateFunction's input and builds the configuration.
    static func create(_ input: ShapeReader, arn: String, now: Int64) throws -> FunctionConfiguration {
        let name = try input.requiredString("FunctionName")
        guard let role = try input.string("Role") else {
            throw LambdaError.invalidParameter("Role is required")
        }
        let packageType = try input.string("PackageType") ?? "Zip"
        let handler = try input.string("Handler")
        if packageType == "Zip" && handler == nil {
            throw LambdaError.invalidParameter("Handler is required when PackageType is Zip")
        }
        guard let code = try input.structure("Code") else {
            throw LambdaError.validation("1 validation error detected: Value null at 'code' failed to satisfy constraint: Member must not be null")
        }
        let zip = try code.string("ZipFile").flatMap { Data(base64Encoded: $0) } ?? Data()
        var o = JSONObject()
        o.append("FunctionName", .string(name))
        o.append("FunctionArn", .string(arn))
        o.append("Runtime", .string(try input.string("Runtime") ?? "provided.al2023"))
        o.append("Role", .string(role))
        o.append("Handler", .string(handler ?? ""))
        o.append("CodeSize", .integer(zip.count))
        o.append("Description", .string(try input.string("Description") ?? ""))
        o.append("Timeout", .integer(try checkedTimeout(input.int("Timeout")) ?? 3))
        o.append("MemorySize", .integer(try checkedMemory(input.int("MemorySize")) ?? 128))
        o.append("LastModified", .string(timestamp(now)))
        o.append("CodeSha256", .string(Data(SHA256.hash([UInt8](zip))).base64EncodedString()))
        o.append("Version", "$LATEST")
        if let env = input.value("Environment") { o.append("Environment", ["Variables": env["Variables"] ?? .object(JSONObject())]) }
        o.append("TracingConfig", ["Mode": "PassThrough"])
        o.append("RevisionId", .string(UUID().uuidString.lowercased()))
        o.append("State", "Active")
        o.append("LastUpdateStatus", "Successful")
        o.append("PackageType", .string(packageType))
        o.append("Architectures", .array((try input.stringList("Architectures") ?? ["x86_64"]).map { .string($0) }))
        o.append("EphemeralStorage", ["Size": 512])
        o.append("SnapStart", ["ApplyOn": "None", "OptimizationStatus": "Off"])
        o.append("LoggingConfig", ["LogFormat": "Text", "LogGroup": .string("/aws/lambda/\(name)")])
        return FunctionConfiguration(json: o)
    }

    static func checkedTimeout(_ value: Int?) throws -> Int? {
        guard let value else { return nil }
        guard (1...900).contains(value) else {
            throw LambdaError.validation("1 validation error detected: Value '\(value)' at 'timeout' failed to satisfy constraint: Member must have value \(value < 1 ? "greater than or equal to 1" : "less than or equal to 900")")
        }
        return value
    }

    static func checkedMemory(_ value: Int?) throws -> Int? {
        guard let value else { return nil }
        guard (128...10_240).contains(value) else {
            throw LambdaError.validation("1 validation error detected: Value '\(value)' at 'memorySize' failed to satisfy constraint: Member must have value \(value < 128 ? "greater than or equal to 128" : "less than or equal to 10240")")
        }
        return value
    }
}
