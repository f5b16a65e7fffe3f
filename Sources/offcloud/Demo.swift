import ArgumentParser
import Foundation
import JSON

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>!, _ length: socklen_t) -> Int32 { Glibc.connect(fd, address, length) }
private func systemClose(_ fd: Int32) -> Int32 { Glibc.close(fd) }
private func systemShutdown(_ fd: Int32, _ how: Int32) -> Int32 { Glibc.shutdown(fd, how) }
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin
private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>!, _ length: socklen_t) -> Int32 { Darwin.connect(fd, address, length) }
private func systemClose(_ fd: Int32) -> Int32 { Darwin.close(fd) }
private func systemShutdown(_ fd: Int32, _ how: Int32) -> Int32 { Darwin.shutdown(fd, how) }
private let streamSocket = SOCK_STREAM
private let MSG_NOSIGNAL: Int32 = 0
#endif

/// `offcloud demo`: a client of the reference architecture (template.yaml) against a
/// running server. It places an order (POST /orders), looks up its execution
/// (GET /orders/{messageId}), connects the WebSocket with the execution ARN, and prints
/// the notification and the SNS webhook delivery, which it receives on its own small
/// HTTP server at `--webhook-url` (the template's `WebhookUrl` parameter).
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Place an order against the reference architecture and follow it to the WebSocket and webhook.")

    @Option(help: "The running Offcloud (env AWS_ENDPOINT_URL).")
    var endpoint: String?

    @Option(name: .customLong("api-url"), help: "The orders HTTP API (default: the HTTP API named orders-http, found through apigatewayv2).")
    var apiURL: String?

    @Option(name: .customLong("webhook-url"), help: "Where the demo listens for SNS deliveries; must be the template's WebhookUrl (env OFFCLOUD_WEBHOOK_URL).")
    var webhookURL: String?

    @Option(name: .customLong("topic-arn"), help: "The topic the workflow publishes outcomes to.")
    var topicArn = "arn:aws:sns:us-east-1:000000000000:order-outcomes"

    @Flag(help: "Place an order over the payment limit, to follow the failure path.")
    var fail = false

    @Option(help: "Seconds to wait for each step.")
    var timeout = 45.0

    var server: String {
        (endpoint ?? ProcessInfo.processInfo.environment["AWS_ENDPOINT_URL"] ?? "http://127.0.0.1:4566")
            .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }
    var webhook: String {
        webhookURL ?? ProcessInfo.processInfo.environment["OFFCLOUD_WEBHOOK_URL"] ?? "http://127.0.0.1:8765/webhook"
    }

    func run() async throws {
        // 1. The webhook, and a (re)subscription so that SNS confirms it while we listen.
        let deliveries = Mailbox()
        var listening = false
        if let url = URL(string: webhook), let port = url.port {
            do {
                try DemoWebhook.start(port: port, mailbox: deliveries)
                listening = true
                let answer = try await request("POST", server + "/", form: [
                    "Action": "Subscribe", "Version": "2010-03-31", "TopicArn": topicArn, "Protocol": "http",
                    "Endpoint": webhook, "ReturnSubscriptionArn": "true"])
                if answer.status != 200 {
                    print("· SNS did not take the webhook subscription (\(answer.status)); the webhook may stay silent")
                } else if try await !webhookConfirmed() {
                    print("· waiting for SNS to confirm the webhook subscription …")
                    _ = try? await poll("the webhook subscription's confirmation", seconds: 60) { try await webhookConfirmed() ? true : nil }
                }
            } catch {
                print("· webhook not started on port \(port): \(error)")
            }
        }
        print("webhook       \(webhook)\(listening ? "" : " (not listening)")")

        // 2. POST /orders.
        let api = try await ordersAPI()
        let order: JSONValue = fail
            ? ["customerId": "demo", "items": [["sku": "espresso-machine", "quantity": 1, "price": 1499]]]
            : ["customerId": "demo", "items": [["sku": "coffee-beans", "quantity": 2, "price": .number("18.5")]]]
        print("POST          \(api)/orders  \(order.jsonString)")
        let placed = try await request("POST", api + "/orders", body: order.jsonString)
        guard placed.status / 100 == 2, let messageId = placed.json["messageId"]?.stringValue else {
            throw ValidationError("POST /orders answered \(placed.status): \(placed.text)")
        }
        print("  → \(placed.status) \(placed.text)")

        // 3. GET /orders/{messageId} until the workflow has recorded its execution.
        let found = try await poll("the execution of message \(messageId)") { () -> JSONValue? in
            let answer = try await request("GET", api + "/orders/" + messageId)
            guard answer.status == 200 else { return Optional<JSONValue>.none }
            return answer.json
        }
        guard let executionArn = found["executionArn"]?.stringValue else { throw ValidationError("GET /orders gave no executionArn") }
        let socketURL = found["webSocketUrl"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? placed.json["webSocketUrl"]?.stringValue ?? ""
        print("GET           \(api)/orders/\(messageId)\n  → execution \(executionArn)")

        // 4. The WebSocket, connected with the execution ARN; the workflow's Notify posts to it.
        let arnParameter = executionArn.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? executionArn
        print("WebSocket     \(socketURL)?executionArn=…")
        let socket = try DemoWebSocket.connect(socketURL + "?executionArn=" + arnParameter)
        let notification = try await poll("the WebSocket notification") { socket.messages.take() }
        print("  ← \(notification)")
        socket.close()

        // 5. The webhook's delivery of the outcome SNS published.
        if listening {
            let delivery = try? await poll("the webhook delivery", seconds: 15) { () -> JSONValue? in
                while let body = deliveries.take() {
                    guard let json = try? JSONValue.parse(body), json["Type"]?.stringValue == "Notification" else { continue }
                    if let message = json["Message"]?.stringValue, message.contains(messageId) { return json }
                }
                return nil
            }
            if let delivery {
                print("webhook       ← \(delivery["Subject"]?.stringValue ?? "") \(delivery["Message"]?.stringValue ?? "")")
            } else {
                print("webhook       (nothing within 15 s: is the template's WebhookUrl \(webhook), and is SNS running?)")
            }
        }

        // 6. How the execution went.
        let path = try await statesEntered(executionArn)
        let described = try await stepFunctions("DescribeExecution", ["executionArn": .string(executionArn)])
        print("execution     \(described["status"]?.stringValue ?? "?"): \(path.joined(separator: " → "))")
    }

    /// Whether the topic's subscription for `--webhook-url` is confirmed (a template's
    /// subscription stays pending until its endpoint answers the confirmation).
    func webhookConfirmed() async throws -> Bool {
        let answer = try await request("POST", server + "/", form: [
            "Action": "ListSubscriptionsByTopic", "Version": "2010-03-31", "TopicArn": topicArn])
        let members = answer.text.components(separatedBy: "<member>").filter { $0.contains("<Endpoint>\(webhook)</Endpoint>") }
        return members.contains { !$0.contains("PendingConfirmation") }
    }

    /// The orders HTTP API: `--api-url`, else the HTTP API named `orders-http`.
    func ordersAPI() async throws -> String {
        if let apiURL { return apiURL.trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
        let apis = try await request("GET", server + "/v2/apis")
        let items = apis.json["items"]?.arrayValue ?? []
        let http = items.filter { $0["protocolType"]?.stringValue == "HTTP" }
        let chosen = http.first { $0["name"]?.stringValue == "orders-http" } ?? (http.count == 1 ? http.first : nil)
        guard let endpoint = chosen?["apiEndpoint"]?.stringValue else {
            throw ValidationError("No HTTP API named orders-http at \(server): start the server with the template (make run) or pass --api-url.")
        }
        return endpoint
    }

    func statesEntered(_ executionArn: String) async throws -> [String] {
        _ = try await poll("the end of the execution") { () -> Bool? in
            let described = try await stepFunctions("DescribeExecution", ["executionArn": .string(executionArn)])
            return described["status"]?.stringValue == "RUNNING" ? nil : true
        }
        let history = try await stepFunctions("GetExecutionHistory", ["executionArn": .string(executionArn), "maxResults": 1000])
        return (history["events"]?.arrayValue ?? []).compactMap { event in
            event["type"]?.stringValue?.hasSuffix("StateEntered") == true ? event["stateEnteredEventDetails"]?["name"]?.stringValue : nil
        }
    }

    func stepFunctions(_ operation: String, _ input: JSONValue) async throws -> JSONValue {
        let answer = try await request("POST", server + "/", body: input.jsonString,
                                       headers: ["X-Amz-Target": "AWSStepFunctions.\(operation)", "Content-Type": "application/x-amz-json-1.0"])
        guard answer.status == 200 else { throw ValidationError("\(operation) answered \(answer.status): \(answer.text)") }
        return answer.json
    }

    struct Answer {
        var status: Int
        var text: String
        var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }
    }

    func request(_ method: String, _ url: String, body: String? = nil, form: [String: String]? = nil,
                 headers: [String: String] = [:]) async throws -> Answer {
        guard let target = URL(string: url) else { throw ValidationError("Not a URL: \(url)") }
        var request = URLRequest(url: target)
        request.httpMethod = method
        request.timeoutInterval = 30
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let form {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let text = form.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)" }.joined(separator: "&")
            request.httpBody = Data(text.utf8)
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = Data(body.utf8)
            if headers["Content-Type"] == nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, text: String(decoding: data, as: UTF8.self))
    }

    /// Asks `probe` every 200 ms until it answers, for at most `seconds` (default `--timeout`).
    func poll<T>(_ what: String, seconds: Double? = nil, _ probe: () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(seconds ?? timeout)
        while Date() < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw ValidationError("Gave up waiting for \(what) after \(Int(seconds ?? timeout)) s.")
    }
}

/// Strings handed from a socket thread to the demo.
final class Mailbox: @unchecked Sendable {
    // @unchecked: `items` is guarded by `lock`.
    private let lock = NSLock()
    private var items: [String] = []
    func put(_ item: String) { lock.withLock { items.append(item) } }
    func take() -> String? { lock.withLock { items.isEmpty ? nil : items.removeFirst() } }
}

/// A blocking TCP socket with a read buffer: enough for a demo's HTTP and WebSocket.
final class DemoSocket: @unchecked Sendable {
    // @unchecked: one thread reads; writes are whole `send` calls.
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    static func connect(host: String, port: Int) throws -> DemoSocket {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = streamSocket
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host == "localhost" ? "127.0.0.1" : host, String(port), &hints, &info) == 0, let first = info else {
            throw ValidationError("Cannot resolve \(host)")
        }
        defer { freeaddrinfo(info) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0, systemConnect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            if fd >= 0 { _ = systemClose(fd) }
            throw ValidationError("Cannot connect to \(host):\(port)")
        }
        return DemoSocket(fd: fd)
    }

    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ValidationError("The connection closed while writing") }
            sent += n
        }
    }

    /// Exactly `count` bytes.
    func read(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        defer { buffer.removeFirst(count) }
        return Array(buffer[..<count])
    }

    /// The head of an HTTP message, up to the blank line.
    func readHead() throws -> String {
        while true {
            if let end = buffer.indices.dropLast(3).first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10 }) {
                defer { buffer.removeFirst(end + 4) }
                return String(decoding: buffer[..<end], as: UTF8.self)
            }
            try fill()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw ValidationError("The connection closed") }
        buffer += chunk[..<n]
    }

    func close() { _ = systemShutdown(fd, Int32(SHUT_RDWR)); _ = systemClose(fd) }
}

/// A minimal RFC 6455 client (Foundation's WebSocket task needs a libcurl with WebSocket
/// support, which Debian's lacks): the handshake, text frames in, masked close out.
final class DemoWebSocket: Sendable {
    let socket: DemoSocket
    let messages = Mailbox()

    private init(socket: DemoSocket) { self.socket = socket }

    static func connect(_ url: String) throws -> DemoWebSocket {
        guard let parsed = URLComponents(string: url), let host = parsed.host else { throw ValidationError("Not a WebSocket URL: \(url)") }
        let port = parsed.port ?? 80
        let socket = try DemoSocket.connect(host: host, port: port)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let target = parsed.percentEncodedPath + (parsed.percentEncodedQuery.map { "?" + $0 } ?? "")
        try socket.write(Array("GET \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
        let head = try socket.readHead()
        guard head.hasPrefix("HTTP/1.1 101") else {
            socket.close()
            throw ValidationError("The WebSocket handshake was refused: \(head.split(separator: "\r\n").first ?? "")")
        }
        let client = DemoWebSocket(socket: socket)
        Thread { client.readFrames() }.start()
        return client
    }

    private func readFrames() {
        var message: [UInt8] = []
        while let head = try? socket.read(2) {
            let opcode = head[0] & 0x0F
            var length = Int(head[1] & 0x7F)
            if length == 126, let bytes = try? socket.read(2) { length = Int(bytes[0]) << 8 | Int(bytes[1]) }
            if length == 127, let bytes = try? socket.read(8) { length = bytes.reduce(0) { $0 << 8 | Int($1) } }
            guard let payload = try? socket.read(length) else { return }
            switch opcode {
            case 0, 1, 2:
                message += payload
                if head[0] & 0x80 != 0 {
                    messages.put(String(decoding: message, as: UTF8.self))
                    message = []
                }
            case 8: return
            case 9: try? socket.write(Self.frame(opcode: 10, payload))
            default: continue
            }
        }
    }

    /// A masked client frame.
    static func frame(opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        var out: [UInt8] = [0x80 | opcode]
        if payload.count < 126 {
            out.append(0x80 | UInt8(payload.count))
        } else {
            out += [0x80 | 126, UInt8(payload.count >> 8 & 0xFF), UInt8(payload.count & 0xFF)]
        }
        out += mask
        out += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return out
    }

    func close() {
        try? socket.write(Self.frame(opcode: 8, [0x03, 0xE8]))
        usleep(100_000)
        socket.close()
    }
}

/// The demo's webhook: a one-request-per-connection HTTP server on 127.0.0.1 that
/// answers 200, confirms SNS subscriptions by visiting their SubscribeURL, and hands
/// every body to the mailbox.
enum DemoWebhook {
    static func start(port: Int, mailbox: Mailbox) throws {
        let fd = socket(AF_INET, streamSocket, 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else {
            if fd >= 0 { _ = systemClose(fd) }
            throw ValidationError("port \(port) is taken")
        }
        Thread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { continue }
                let connection = DemoSocket(fd: client)
                Thread { serve(connection, mailbox: mailbox) }.start()
            }
        }.start()
    }

    static func serve(_ connection: DemoSocket, mailbox: Mailbox) {
        defer { connection.close() }
        guard let head = try? connection.readHead() else { return }
        let length = head.split(separator: "\r\n").compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        guard let body = try? connection.read(length) else { return }
        try? connection.write(Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
        let text = String(decoding: body, as: UTF8.self)
        if let json = try? JSONValue.parse(text), json["Type"]?.stringValue == "SubscriptionConfirmation",
           let url = json["SubscribeURL"]?.stringValue.flatMap(URL.init(string:)) {
            URLSession.shared.dataTask(with: url) { _, _, _ in }.resume()
        }
        mailbox.put(text)
    }
}
