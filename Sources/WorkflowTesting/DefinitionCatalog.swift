import Foundation
import JSON
import States

/// Definitions by file, parsed once however many tests run them. `${Key}` placeholders
/// are replaced from the test's `substitutions`, then from the definition's sidecar
/// `<name>.config.json`; those left over stay as they are (mocked Tasks never read them).
final class DefinitionCatalog: @unchecked Sendable {
    // @unchecked: `machines` is guarded by `lock`.
    private let lock = NSLock()
    private var machines: [String: Result<StateMachine, FixtureError>] = [:]

    func machine(_ path: String, substitutions: [String: String]) -> Result<StateMachine, FixtureError> {
        let key = path + "\u{0}" + substitutions.keys.sorted().map { "\($0)=\(substitutions[$0]!)" }.joined(separator: "\u{0}")
        if let cached = lock.withLock({ machines[key] }) { return cached }
        let result = Self.parse(path, substitutions: substitutions)
        lock.withLock { machines[key] = result }
        return result
    }

    static func parse(_ path: String, substitutions: [String: String]) -> Result<StateMachine, FixtureError> {
        guard var text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .failure(FixtureError("\(path): cannot be read."))
        }
        var all = sidecarSubstitutions(path)
        all.merge(substitutions) { _, mine in mine }
        for (key, value) in all { text = text.replacingOccurrences(of: "${\(key)}", with: value) }
        do {
            return .success(try StateMachine.parse(text))
        } catch let error as DefinitionError {
            let problems = error.diagnostics.map { "\($0.code) at \($0.location.isEmpty ? "/" : $0.location): \($0.message)" }
            return .failure(FixtureError("\(path): " + problems.joined(separator: "; ")))
        } catch {
            return .failure(FixtureError("\(path): \(error)"))
        }
    }

    static func sidecarSubstitutions(_ path: String) -> [String: String] {
        let sidecar = path.replacingOccurrences(of: ".asl.json", with: ".config.json")
        guard sidecar != path, let data = FileManager.default.contents(atPath: sidecar),
              let config = try? JSONValue.parse(Array(data)) else { return [:] }
        var result: [String: String] = [:]
        for m in config["substitutions"]?.objectValue ?? JSONObject() { result[m.key] = m.value.stringValue ?? m.value.jsonString }
        return result
    }

    /// A definition named by a fixture: a path (from the working folder or the fixture's
    /// folder), or a name in the definitions folder with or without `.asl.json`.
    static func resolve(_ name: String, fixtureFile: String, definitionsDirectory: String) throws -> String {
        let folder = URL(fileURLWithPath: fixtureFile).deletingLastPathComponent().path
        let candidates = [name, "\(folder)/\(name)", "\(definitionsDirectory)/\(name)", "\(definitionsDirectory)/\(name).asl.json",
                          "\(definitionsDirectory)/\(name).json"]
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate) && !candidate.hasSuffix("/") {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue { return candidate }
        }
        throw FixtureError("definition \(name) is not a file, nor in \(definitionsDirectory)/.")
    }

    /// `definitions/order-workflow.asl.json` → `order-workflow`.
    static func machineName(_ path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".asl.json", ".json", ".asl.yaml", ".yaml"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
            break
        }
        return name
    }
}
