import Foundation
import JSON

/// A handler on raw JSON: the event in, the result out.
public typealias LambdaHandler = @Sendable (JSONValue, LambdaContext) async throws -> JSONValue

/// Swift handlers by name: a function's `Handler` names one of these.
public final class LambdaHandlers: @unchecked Sendable {
    // @unchecked: `handlers` is guarded by `lock`.
    private let lock = NSLock()
    private var handlers: [String: LambdaHandler] = [:]

    public init() {}

    /// Registers a handler on raw JSON.
    public func register(_ name: String, _ handler: @escaping LambdaHandler) {
        lock.withLock { handlers[name] = handler }
    }

    /// Registers a handler on Codable types, as the Swift AWS Lambda runtime's
    /// `(Event, LambdaContext) async throws -> Output` closures are written.
    public func register<Event: Decodable & Sendable, Output: Encodable & Sendable>(
        _ name: String, _ handler: @escaping @Sendable (Event, LambdaContext) async throws -> Output
    ) {
        register(name) { json, context in
            let event: Event
            do {
                event = try JSONDecoder().decode(Event.self, from: Data(json.serialized()))
            } catch {
                throw LambdaFunctionError("Runtime.UnmarshalError", "Unable to unmarshal input: \(error)")
            }
            let output = try await handler(event, context)
            let data = try JSONEncoder().encode(output)
            return try JSONValue.parse(Array(data))
        }
    }

    public func handler(named name: String) -> LambdaHandler? { lock.withLock { handlers[name] } }

    public var names: [String] { lock.withLock { handlers.keys.sorted() } }
}
