import Foundation
import JSON
import States

/// A distributed Map's `ItemReader`. S3 is not emulated, so `s3:getObject` reads the
/// local file `<root>/<Bucket>/<Key>` (or `Key` itself when it is an absolute path):
/// a JSON array, JSON Lines, or CSV (`ReaderConfig.InputType`), up to `MaxItems`.
struct ItemReaderSource {
    let reader: JSONValue
    let root: String

    init(_ reader: JSONValue, root: String) {
        self.reader = reader
        self.root = root
    }

    func failure(_ cause: String) -> StatesError { StatesError("States.ItemReaderFailed", cause) }

    func read(scope: EvaluationScope) throws -> [JSONValue] {
        guard case .object(let o) = reader, let resource = o["Resource"]?.stringValue else {
            throw failure("The ItemReader must name a Resource")
        }
        guard resource == "arn:aws:states:::s3:getObject" else {
            throw failure("The ItemReader resource '\(resource)' is not supported; Offcloud reads local files through arn:aws:states:::s3:getObject")
        }
        var diagnostics = Diagnostics()
        let parameters = try PayloadTemplate.compile(o["Parameters"] ?? .object(JSONObject()), at: "/ItemReader/Parameters",
                                                     diagnostics: &diagnostics).evaluate(in: scope, field: "Parameters")
        guard let key = parameters["Key"]?.stringValue else { throw failure("The ItemReader Parameters must have a Key") }
        let bucket = parameters["Bucket"]?.stringValue ?? ""
        let path = key.hasPrefix("/") ? key : URL(fileURLWithPath: root).appendingPathComponent(bucket).appendingPathComponent(key).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw failure("The object s3://\(bucket)/\(key) could not be read (looked for the local file \(path))")
        }
        let config = o["ReaderConfig"]?.objectValue ?? JSONObject()
        let maxItems = config["MaxItems"]?.intValue ?? Int.max
        var items: [JSONValue]
        switch config["InputType"]?.stringValue ?? "JSON" {
        case "JSON":
            guard case .array(let array)? = try? JSONValue.parse(Array(data)) else {
                throw failure("The object s3://\(bucket)/\(key) is not a JSON array")
            }
            items = array
        case "JSONL":
            items = try String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map { line in
                guard let value = try? JSONValue.parse(String(line)) else { throw failure("A line of s3://\(bucket)/\(key) is not JSON") }
                return value
            }
        case "CSV":
            items = try csvItems(String(decoding: data, as: UTF8.self), config: config)
        case let other:
            throw failure("The InputType '\(other)' is not supported")
        }
        if items.count > maxItems { items = Array(items.prefix(maxItems)) }
        return items
    }

    /// Rows as objects keyed by the header: the first row, or `CSVHeaders`.
    func csvItems(_ text: String, config: JSONObject) throws -> [JSONValue] {
        var rows = CSV.parse(text)
        let headers: [String]
        if config["CSVHeaderLocation"]?.stringValue == "GIVEN" {
            guard let given = config["CSVHeaders"]?.arrayValue?.compactMap(\.stringValue), !given.isEmpty else {
                throw failure("CSVHeaders are required when CSVHeaderLocation is GIVEN")
            }
            headers = given
        } else {
            guard !rows.isEmpty else { return [] }
            headers = rows.removeFirst()
        }
        return rows.map { row in
            var o = JSONObject()
            for (i, name) in headers.enumerated() { o.append(name, .string(i < row.count ? row[i] : "")) }
            return .object(o)
        }
    }
}

/// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF rows.
enum CSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        func nextChar() -> Character? {
            if let p = pending { pending = nil; return p }
            return chars.next()
        }
        while let c = nextChar() {
            if quoted {
                if c == "\"" {
                    if let n = nextChar() {
                        if n == "\"" { field.append("\"") } else { quoted = false; pending = n }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\r\n", "\n", "\r":
                row.append(field); field = ""
                rows.append(row); row = []
            default: field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
