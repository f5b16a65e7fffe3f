import Foundation
import JSON

/// Finds fixture files under the paths given (`*.json`, `*.yaml`, `*.yml`) and reads
/// their tests. A file that is a Step Functions Local mock configuration
/// (`StateMachines`/`MockedResponses`) is not a fixture and is skipped.
public enum FixtureLoader {
    public struct Loaded: Sendable {
        public var tests: [FixtureTest] = []
        /// Files that could not be read, with why.
        public var errors: [(file: String, message: String)] = []
    }

    public static func load(paths: [String], definitionsDirectory: String) -> Loaded {
        var loaded = Loaded()
        for file in discover(paths) {
            do {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw FixtureError("\(file): cannot be read.") }
                let yaml = !file.hasSuffix(".json")
                let document: JSONValue
                do {
                    document = try FixtureDocument.parse(text, yaml: yaml)
                } catch let error as FixtureError {
                    throw error
                } catch {
                    throw FixtureError("\(file): not valid \(yaml ? "YAML" : "JSON"): \(error)")
                }
                if document["StateMachines"] != nil || document["MockedResponses"] != nil { continue }
                loaded.tests += try FixtureParser.tests(in: document, file: file, definitionsDirectory: definitionsDirectory)
            } catch {
                loaded.errors.append((file, "\(error)"))
            }
        }
        return loaded
    }

    /// Fixture files, sorted, from files and folders (searched recursively).
    static func discover(_ paths: [String]) -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                files.append(path)  // reported as unreadable
                continue
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            for relative in (manager.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
            where isFixtureName(relative) && !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                files.append("\(base)/\(relative)")
            }
        }
        return files
    }

    static func isFixtureName(_ name: String) -> Bool {
        (name.hasSuffix(".json") || name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && !name.hasSuffix(".asl.json")
    }
}
