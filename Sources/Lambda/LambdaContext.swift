import Foundation
import JSON

/// Calls any emulated service in-process, through the same operations a remote SDK
/// reaches: `call(service: "dynamodb", operation: "PutItem", input: …)`. The Server
/// layer supplies it, so handlers can use every service without HTTP.
public protocol InProcessAWS: Sendable {
    func call(service: String, operation: String, input: JSONValue) async throws -> JSONValue
}

/// What a handler knows about its invocation, shaped like the Swift AWS Lambda
/// runtime's context so handler code ports with little change.
public struct LambdaContext: Sendable {
    public var requestID: String
    public var functionName: String
    public var invokedFunctionARN: String
    /// When the function's timeout runs out.
    public var deadline: Date
    public var environment: [String: String]
    /// Lines logged here are captured: `LogType: Tail` returns their last 4 KB.
    public var logger: LambdaLogger
    /// Every emulated service, in-process.
    public var aws: (any InProcessAWS)?

    public init(requestID: String, functionName: String, invokedFunctionARN: String, deadline: Date,
                environment: [String: String] = [:], logger: LambdaLogger = LambdaLogger(), aws: (any InProcessAWS)? = nil) {
        self.requestID = requestID
        self.functionName = functionName
        self.invokedFunctionARN = invokedFunctionARN
        self.deadline = deadline
        self.environment = environment
        self.logger = logger
        self.aws = aws
    }
}

/// Collects a function's log lines for one invocation.
public final class LambdaLogger: @unchecked Sendable {
    // @unchecked: `lines` is guarded by `lock`.
    private let lock = NSLock()
    private var lines: [String] = []

    public init() {}

    public func info(_ message: String) { append(message) }
    public func error(_ message: String) { append(message) }
    public func log(_ message: String) { append(message) }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    /// Everything logged, one line each.
    public var text: String { lock.withLock { lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n") } }
}

/// An error a handler throws to fail its invocation with AWS's `errorType`.
public struct LambdaFunctionError: Error, Sendable, Equatable {
    public var errorType: String
    public var errorMessage: String

    public init(_ errorType: String, _ errorMessage: String) {
        self.errorType = errorType
        self.errorMessage = errorMessage
    }
}
