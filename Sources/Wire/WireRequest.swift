/// An HTTP request as the Wire layer sees it: no NIO types, so protocol code is
/// testable bytes-in, bytes-out.
public struct WireRequest: Sendable {
    public var method: String
    /// The path without the query string, still percent-encoded.
    public var path: String
    /// The raw query string after `?`, or empty.
    public var query: String
    public var headers: WireHeaders
    public var body: [UInt8]

    public init(method: String, path: String, query: String = "", headers: WireHeaders = WireHeaders(), body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Splits `uri` (path plus optional query) into its parts.
    public init(method: String, uri: String, headers: WireHeaders, body: [UInt8]) {
        if let q = uri.firstIndex(of: "?") {
            self.init(method: method, path: String(uri[..<q]), query: String(uri[uri.index(after: q)...]), headers: headers, body: body)
        } else {
            self.init(method: method, path: uri, headers: headers, body: body)
        }
    }

    public var contentType: String? { headers["content-type"] }
}

/// Case-insensitive HTTP headers that keep their order.
public struct WireHeaders: Sendable, Sequence {
    public private(set) var entries: [(name: String, value: String)] = []

    public init() {}
    public init(_ entries: [(String, String)]) {
        self.entries = entries.map { (name: $0.0, value: $0.1) }
    }

    public subscript(name: String) -> String? {
        for entry in entries where entry.name.caseInsensitiveEquals(name) { return entry.value }
        return nil
    }

    public mutating func add(_ name: String, _ value: String) {
        entries.append((name: name, value: value))
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { entries.makeIterator() }
}

/// An HTTP response produced by a protocol serialiser.
public struct WireResponse: Sendable {
    public var status: Int
    public var headers: WireHeaders
    public var body: [UInt8]

    public init(status: Int, headers: WireHeaders = WireHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let lx = (x >= 65 && x <= 90) ? x + 32 : x
            let ly = (y >= 65 && y <= 90) ? y + 32 : y
            if lx != ly { return false }
        }
        return true
    }
}
