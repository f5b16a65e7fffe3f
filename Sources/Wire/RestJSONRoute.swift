import JSON

/// The HTTP binding of one restJson1 operation, as its model's `http` trait and
/// member locations describe it: method, URI template, where members travel
/// (path labels, query string, headers, a raw payload) and the success status.
public struct RestJSONRoute: Sendable {
    public var operation: String
    public var method: String
    /// `/2015-03-31/functions/{FunctionName}/invocations`; `{Name+}` takes the rest of the path.
    public var template: String
    public var successStatus: Int
    /// Query parameter name → input member.
    public var query: [String: String]
    /// Query members that are lists (`?tagKeys=a&tagKeys=b`).
    public var listQuery: Set<String>
    /// Header name (any case) → input member.
    public var headers: [String: String]
    /// The input member that receives the raw body as a string, if the body is not a JSON object.
    public var payload: String?
    /// Output member → response header.
    public var outputHeaders: [String: String]
    /// The output member sent as the raw body instead of a JSON document.
    public var outputPayload: String?
    /// An output member that, when present, is the HTTP status (Invoke's 200/202/204).
    public var outputStatus: String?

    let segments: [Segment]

    enum Segment: Sendable, Equatable {
        case literal(String)
        case label(String)
        case greedy(String)
    }

    public init(_ operation: String, _ method: String, _ template: String, status: Int = 200,
                query: [String: String] = [:], headers: [String: String] = [:], payload: String? = nil,
                outputHeaders: [String: String] = [:], outputPayload: String? = nil, outputStatus: String? = nil,
                listQuery: Set<String> = []) {
        self.listQuery = listQuery
        self.operation = operation
        self.method = method
        self.template = template
        self.successStatus = status
        self.query = query
        self.headers = headers
        self.payload = payload
        self.outputHeaders = outputHeaders
        self.outputPayload = outputPayload
        self.outputStatus = outputStatus
        segments = template.split(separator: "/").map { part in
            if part.hasPrefix("{") && part.hasSuffix("+}") { return .greedy(String(part.dropFirst().dropLast(2))) }
            if part.hasPrefix("{") && part.hasSuffix("}") { return .label(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
    }

    /// The path labels of `path` if it fits this route, percent-decoded.
    public func match(method: String, path: String) -> [String: String]? {
        guard method == self.method else { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var labels: [String: String] = [:]
        var i = 0
        for segment in segments {
            switch segment {
            case .literal(let text):
                guard i < parts.count, parts[i] == text else { return nil }
                i += 1
            case .label(let name):
                guard i < parts.count, let value = FormDecoding.decodePathSegment(parts[i]), !value.isEmpty else { return nil }
                labels[name] = value
                i += 1
            case .greedy(let name):
                guard i < parts.count else { return nil }
                let rest = parts[i...].map { FormDecoding.decodePathSegment($0) ?? String($0) }
                labels[name] = rest.joined(separator: "/")
                i = parts.count
            }
        }
        return i == parts.count ? labels : nil
    }
}
