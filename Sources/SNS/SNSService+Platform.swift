import Foundation
import JSON
import Storage
import Wire

/// Mobile push (platform applications and endpoints) and SMS settings: stored, and
/// their publishes recorded in the delivery log, since nothing leaves the machine.
extension SNSService {
    static let platforms: Set<String> = ["ADM", "APNS", "APNS_SANDBOX", "BAIDU", "GCM", "MPNS", "WNS"]

    func platform(_ operation: SNSOperation, _ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        switch operation {
        case .createPlatformApplication:
            let name = try input.requiredString("Name")
            let platform = try input.requiredString("Platform")
            guard Self.platforms.contains(platform) else { throw SNSError.invalidParameter("Platform Reason: \(platform) is not supported") }
            guard !name.isEmpty, name.count <= 256,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) else {
                throw SNSError.invalidParameter("Invalid platform application name: \(name)")
            }
            let attributes = JSONObject((try input.stringMap("Attributes") ?? []).map { JSONObject.Member($0.key, .string($0.value)) })
            let arn = "arn:aws:sns:\(context.region):\(context.accountId):app/\(platform)/\(name)"
            try await database.transaction { db in
                try db.run("INSERT OR REPLACE INTO sns_platform_applications (arn, account, region, attributes) VALUES (?, ?, ?, ?)",
                           .text(arn), .text(context.accountId), .text(context.region), .text(JSONValue.object(attributes).jsonString))
            }
            return ["PlatformApplicationArn": .string(arn)]
        case .getPlatformApplicationAttributes:
            let arn = try input.requiredString("PlatformApplicationArn")
            let text = try await database.read { db in
                try db.first("SELECT attributes FROM sns_platform_applications WHERE arn = ?", [.text(arn)]) { $0.text(0) }
            }
            guard let text else { throw SNSError("NotFound", status: 404, "PlatformApplication does not exist") }
            var attributes = (try? JSONValue.parse(Array(text.utf8)))?.objectValue ?? JSONObject()
            for secret in ["PlatformCredential", "PlatformPrincipal"] { attributes[secret] = nil }
            if attributes["Enabled"] == nil { attributes["Enabled"] = "true" }
            return ["Attributes": .object(attributes)]
        case .setPlatformApplicationAttributes:
            let arn = try input.requiredString("PlatformApplicationArn")
            let changes = try input.stringMap("Attributes") ?? []
            try await database.transaction { db in
                guard let text = try db.first("SELECT attributes FROM sns_platform_applications WHERE arn = ?", [.text(arn)], { $0.text(0) }) else {
                    throw SNSError("NotFound", status: 404, "PlatformApplication does not exist")
                }
                var attributes = (try? JSONValue.parse(Array(text.utf8)))?.objectValue ?? JSONObject()
                for (k, v) in changes { attributes[k] = .string(v) }
                try db.run("UPDATE sns_platform_applications SET attributes = ? WHERE arn = ?", .text(JSONValue.object(attributes).jsonString), .text(arn))
            }
            return [:]
        case .deletePlatformApplication:
            let arn = try input.requiredString("PlatformApplicationArn")
            try await database.transaction { db in
                try db.run("DELETE FROM sns_platform_applications WHERE arn = ?", .text(arn))
                try db.run("DELETE FROM sns_platform_endpoints WHERE application_arn = ?", .text(arn))
            }
            return [:]
        case .listPlatformApplications:
            let rows: [(String, String)] = try await database.read { db in
                try db.all("SELECT arn, attributes FROM sns_platform_applications WHERE account = ? AND region = ? ORDER BY arn",
                           [.text(context.accountId), .text(context.region)]) { ($0.text(0), $0.text(1)) }
            }
            return ["PlatformApplications": .array(rows.map { arn, text in
                var attributes = (try? JSONValue.parse(Array(text.utf8)))?.objectValue ?? JSONObject()
                for secret in ["PlatformCredential", "PlatformPrincipal"] { attributes[secret] = nil }
                return ["PlatformApplicationArn": .string(arn), "Attributes": .object(attributes)]
            })]
        case .createPlatformEndpoint:
            let app = try input.requiredString("PlatformApplicationArn")
            let token = try input.requiredString("Token")
            guard !token.isEmpty else { throw SNSError.invalidParameter("Token Reason: cannot be empty") }
            var attributes = JSONObject((try input.stringMap("Attributes") ?? []).map { JSONObject.Member($0.key, .string($0.value)) })
            if let custom = try input.string("CustomUserData") { attributes["CustomUserData"] = .string(custom) }
            attributes["Token"] = .string(token)
            if attributes["Enabled"] == nil { attributes["Enabled"] = "true" }
            let stored = attributes
            let arn: String = try await database.transaction { db in
                guard try db.first("SELECT 1 FROM sns_platform_applications WHERE arn = ?", [.text(app)], { _ in true }) != nil else {
                    throw SNSError("NotFound", status: 404, "PlatformApplication does not exist")
                }
                if let existing = try db.first("SELECT arn FROM sns_platform_endpoints WHERE application_arn = ? AND token = ?",
                                               [.text(app), .text(token)], { $0.text(0) }) {
                    return existing
                }
                let arn = app.replacingOccurrences(of: ":app/", with: ":endpoint/") + "/" + SNSService.newId()
                try db.run("INSERT INTO sns_platform_endpoints (arn, application_arn, token, attributes) VALUES (?, ?, ?, ?)",
                           .text(arn), .text(app), .text(token), .text(JSONValue.object(stored).jsonString))
                return arn
            }
            return ["EndpointArn": .string(arn)]
        case .getEndpointAttributes:
            let arn = try input.requiredString("EndpointArn")
            let text = try await database.read { db in
                try db.first("SELECT attributes FROM sns_platform_endpoints WHERE arn = ?", [.text(arn)]) { $0.text(0) }
            }
            guard let text else { throw SNSError.endpointNotFound() }
            return ["Attributes": (try? JSONValue.parse(Array(text.utf8))) ?? [:]]
        case .setEndpointAttributes:
            let arn = try input.requiredString("EndpointArn")
            let changes = try input.stringMap("Attributes") ?? []
            try await database.transaction { db in
                guard let text = try db.first("SELECT attributes FROM sns_platform_endpoints WHERE arn = ?", [.text(arn)], { $0.text(0) }) else {
                    throw SNSError.endpointNotFound()
                }
                var attributes = (try? JSONValue.parse(Array(text.utf8)))?.objectValue ?? JSONObject()
                for (k, v) in changes { attributes[k] = .string(v) }
                try db.run("UPDATE sns_platform_endpoints SET attributes = ?, token = ? WHERE arn = ?",
                           .text(JSONValue.object(attributes).jsonString), .text(attributes["Token"]?.stringValue ?? ""), .text(arn))
            }
            return [:]
        case .deleteEndpoint:
            let arn = try input.requiredString("EndpointArn")
            try await database.transaction { db in try db.run("DELETE FROM sns_platform_endpoints WHERE arn = ?", .text(arn)) }
            return [:]
        case .listEndpointsByPlatformApplication:
            let app = try input.requiredString("PlatformApplicationArn")
            let rows: [(String, String)]? = try await database.read { db in
                guard try db.first("SELECT 1 FROM sns_platform_applications WHERE arn = ?", [.text(app)], { _ in true }) != nil else { return nil }
                return try db.all("SELECT arn, attributes FROM sns_platform_endpoints WHERE application_arn = ? ORDER BY arn", [.text(app)]) {
                    ($0.text(0), $0.text(1))
                }
            }
            guard let rows else { throw SNSError("NotFound", status: 404, "PlatformApplication does not exist") }
            return ["Endpoints": .array(rows.map { ["EndpointArn": .string($0.0), "Attributes": (try? JSONValue.parse(Array($0.1.utf8))) ?? [:]] })]
        default:
            throw SNSError.invalidParameter("Action")
        }
    }

    func sms(_ operation: SNSOperation, _ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let (account, region) = (context.accountId, context.region)
        switch operation {
        case .setSMSAttributes:
            let attributes = try input.stringMap("attributes") ?? []
            let known: Set = ["MonthlySpendLimit", "DeliveryStatusIAMRole", "DeliveryStatusSuccessSamplingRate", "DefaultSenderID",
                              "DefaultSMSType", "UsageReportS3Bucket"]
            for (k, v) in attributes {
                guard known.contains(k) else { throw SNSError.invalidParameter("\(k) is not a valid attribute") }
                if k == "DefaultSMSType", !["Promotional", "Transactional"].contains(v) {
                    throw SNSError.invalidParameter("DefaultSMSType Reason: must be Promotional or Transactional")
                }
            }
            try await database.transaction { db in
                for (k, v) in attributes {
                    try db.run("INSERT OR REPLACE INTO sns_sms_attributes (account, region, name, value) VALUES (?, ?, ?, ?)",
                               .text(account), .text(region), .text(k), .text(v))
                }
            }
            return [:]
        case .getSMSAttributes:
            let wanted = try input.stringList("attributes")
            let rows: [(String, String)] = try await database.read { db in
                try db.all("SELECT name, value FROM sns_sms_attributes WHERE account = ? AND region = ? AND name NOT LIKE 'sandbox:%' ORDER BY name",
                           [.text(account), .text(region)]) { ($0.text(0), $0.text(1)) }
            }
            let filtered = rows.filter { wanted == nil || wanted!.isEmpty || wanted!.contains($0.0) }
            return ["attributes": .object(JSONObject(filtered.map { JSONObject.Member($0.0, .string($0.1)) }))]
        case .checkIfPhoneNumberIsOptedOut:
            _ = try input.requiredString("phoneNumber")
            return ["isOptedOut": false]
        case .listPhoneNumbersOptedOut:
            return ["phoneNumbers": []]
        case .optInPhoneNumber:
            _ = try input.requiredString("phoneNumber")
            return [:]
        case .getSMSSandboxAccountStatus:
            return ["IsInSandbox": true]
        case .createSMSSandboxPhoneNumber:
            let phone = try input.requiredString("PhoneNumber")
            try await database.transaction { db in
                try db.run("INSERT OR REPLACE INTO sns_sms_attributes (account, region, name, value) VALUES (?, ?, ?, 'Pending')",
                           .text(account), .text(region), .text("sandbox:\(phone)"))
            }
            return [:]
        case .verifySMSSandboxPhoneNumber:
            let phone = try input.requiredString("PhoneNumber")
            _ = try input.requiredString("OneTimePassword")
            try await database.transaction { db in
                guard try db.run("UPDATE sns_sms_attributes SET value = 'Verified' WHERE account = ? AND region = ? AND name = ?",
                                 .text(account), .text(region), .text("sandbox:\(phone)")) > 0 else {
                    throw SNSError("ResourceNotFound", status: 404, "Phone number does not exist in the sandbox")
                }
            }
            return [:]
        case .deleteSMSSandboxPhoneNumber:
            let phone = try input.requiredString("PhoneNumber")
            try await database.transaction { db in
                guard try db.run("DELETE FROM sns_sms_attributes WHERE account = ? AND region = ? AND name = ?",
                                 .text(account), .text(region), .text("sandbox:\(phone)")) > 0 else {
                    throw SNSError("ResourceNotFound", status: 404, "Phone number does not exist in the sandbox")
                }
            }
            return [:]
        case .listSMSSandboxPhoneNumbers:
            let rows: [(String, String)] = try await database.read { db in
                try db.all("SELECT name, value FROM sns_sms_attributes WHERE account = ? AND region = ? AND name LIKE 'sandbox:%' ORDER BY name",
                           [.text(account), .text(region)]) { ($0.text(0), $0.text(1)) }
            }
            return ["PhoneNumbers": .array(rows.map { ["PhoneNumber": .string(String($0.0.dropFirst(8))), "Status": .string($0.1)] })]
        case .listOriginationNumbers:
            return ["PhoneNumbers": []]
        default:
            throw SNSError.invalidParameter("Action")
        }
    }
}
