import Foundation
import JSON
import Logging
import States
import StepFunctions

/// Turns every `definitions/**/*.asl.json` into a state machine named after its file,
/// and keeps them in step with the files while the server runs. A sidecar
/// `<name>.config.json` may set `type`, `roleArn` and `substitutions` (replacing
/// `${Key}` in the definition, like CloudFormation's DefinitionSubstitutions).
final class DefinitionsLoader: Sendable {
    let directory: URL
    let stepFunctions: StepFunctionsService
    let accountId: String
    let region: String
    let logger: Logger

    init(directory: URL, stepFunctions: StepFunctionsService, accountId: String, region: String, logger: Logger) {
        self.directory = directory
        self.stepFunctions = stepFunctions
        self.accountId = accountId
        self.region = region
        self.logger = logger
    }

    /// Definition files and their modification times (plus their sidecars').
    func scan() -> [String: Date] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.contentModificationDateKey]) else {
            return [:]
        }
        var found: [String: Date] = [:]
        for case let url as URL in walker where url.lastPathComponent.hasSuffix(".asl.json") {
            let sidecar = url.deletingLastPathComponent().appendingPathComponent(Self.name(of: url) + ".config.json")
            let times = [url, sidecar].compactMap { try? $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate }
            found[url.path] = times.max() ?? Date.distantPast
        }
        return found
    }

    /// The first `${Name}` left in a definition, if any.
    static func placeholder(in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: #"\$\{[A-Za-z0-9_]+\}"#),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range, in: text) else { return nil }
        return String(text[range])
    }

    static func name(of url: URL) -> String { String(url.lastPathComponent.dropLast(".asl.json".count)) }

    /// Deploys one file; logs and skips it if it is invalid.
    func load(_ path: String) async {
        let url = URL(fileURLWithPath: path)
        let name = Self.name(of: url)
        do {
            var text = try String(contentsOf: url, encoding: .utf8)
            var type = "STANDARD"
            var roleArn: String?
            let sidecar = url.deletingLastPathComponent().appendingPathComponent(name + ".config.json")
            if let data = try? Data(contentsOf: sidecar) {
                guard case .object(let config) = try JSONValue.parse(Array(data)) else {
                    logger.error("state machine config refused", metadata: ["file": "\(sidecar.path)", "problem": "must be a JSON object"])
                    return
                }
                type = config["type"]?.stringValue ?? type
                roleArn = config["roleArn"]?.stringValue
                for m in config["substitutions"]?.objectValue ?? JSONObject() {
                    let value = m.value.stringValue ?? m.value.jsonString
                    text = text.replacingOccurrences(of: "${\(m.key)}", with: value)
                }
            }
            if let placeholder = Self.placeholder(in: text) {
                // It waits for DefinitionSubstitutions: a template (or a sidecar) deploys it.
                logger.info("state machine left to the template", metadata: [
                    "file": "\(path)", "reason": "\(placeholder) has no substitution; a template's DefinitionUri or \(name).config.json supplies it",
                ])
                return
            }
            let arn = try await stepFunctions.deploy(name: name, definition: text, type: type, roleArn: roleArn,
                                                     accountId: accountId, region: region, sourceFile: path)
            logger.info("state machine deployed", metadata: ["file": "\(path)", "arn": "\(arn)"])
        } catch let error as DefinitionError {
            logger.error("state machine definition refused", metadata: ["file": "\(path)", "problems": "\(error.description)"])
        } catch {
            logger.error("state machine definition refused", metadata: ["file": "\(path)", "problem": "\(error)"])
        }
    }

    /// Loads everything now, then checks for changed files once a second until cancelled.
    func run(initial: [String: Date]) async {
        var known = initial
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 1_000_000_000)
            let current = scan()
            for (path, date) in current where known[path] != date { await load(path) }
            known = current
        }
    }
}
