import Foundation
import JSON
import Storage
import Wire

/// The outcome of running a function once.
public struct InvocationResult: Sendable {
    /// The function's result, or AWS's error document when it failed.
    public var payload: JSONValue
    /// `errorType` and `errorMessage` when the function failed.
    public var error: LambdaFunctionError?
    public var log: String
    public var requestId: String
}

extension LambdaService {
    func invokeFunction(_ input: ShapeReader, _ context: RequestContext) async throws -> JSONValue {
        let (arn, qualifier) = try Self.qualified(input, context)
        let type = try input.string("InvocationType") ?? "RequestResponse"
        guard ["RequestResponse", "Event", "DryRun"].contains(type) else {
            throw LambdaError.invalidParameter("1 validation error detected: Value '\(type)' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
        }
        let logType = try input.string("LogType") ?? "None"
        let text = try input.string("Payload") ?? "{}"
        let payload: JSONValue
        do {
            payload = text.isEmpty ? .object(JSONObject()) : try JSONValue.parse(Array(text.utf8))
        } catch {
            throw LambdaError.invalidRequestContent("Could not parse request body into json: Could not parse payload into json: \(error)")
        }
        if text.utf8.count > 6 * 1024 * 1024 {
            throw LambdaError("RequestTooLargeException", "Request must be smaller than 6291456 bytes for the InvokeFunction operation", status: 413)
        }
        let (configuration, executedVersion) = try await database.read { [self] db in try resolve(arn, qualifier: qualifier, db: db) }
        switch type {
        case "DryRun":
            return ["StatusCode": 204]
        case "Event":
            try await enqueueEvent(configuration, payload: payload, context: context)
            return ["StatusCode": 202, "Payload": ""]
        default:
            let result = await run(configuration, payload: payload, context: context)
            var o = JSONObject()
            o.append("StatusCode", 200)
            if result.error != nil { o.append("FunctionError", "Unhandled") }
            if logType == "Tail" {
                let tail = Array(result.log.utf8.suffix(4096))
                o.append("LogResult", .string(Data(tail).base64EncodedString()))
            }
            o.append("ExecutedVersion", .string(executedVersion))
            o.append("Payload", result.payload)
            return .object(o)
        }
    }

    /// Runs a function by name or ARN (for Step Functions and event sources).
    public func invoke(function: String, payload: JSONValue, context: RequestContext) async throws -> InvocationResult {
        let (arn, qualifier) = try Self.qualified(function, given: nil, context)
        let configuration = try await database.read { [self] db in try resolve(arn, qualifier: qualifier, db: db).0 }
        return await run(configuration, payload: payload, context: context)
    }

    /// One invocation: the handler (or command) raced against the function's timeout,
    /// its log framed by START/END/REPORT lines as Lambda writes them.
    func run(_ configuration: FunctionConfiguration, payload: JSONValue, context: RequestContext) async -> InvocationResult {
        let requestId = UUID().uuidString.lowercased()
        let logger = LambdaLogger()
        logger.append("START RequestId: \(requestId) Version: $LATEST")
        let started = Date()
        let timeout = configuration.timeout
        let lambdaContext = LambdaContext(requestID: requestId, functionName: configuration.name,
                                          invokedFunctionARN: configuration.arn,
                                          deadline: started.addingTimeInterval(Double(timeout)),
                                          environment: configuration.environment, logger: logger, aws: aws.value)
        let handlerName = configuration.handler
        let registered = handlers.handler(named: handlerName)
        // The handler and the timeout race in unstructured tasks: a handler that ignores
        // cancellation and hangs cannot hold the invocation past its timeout.
        let race = FirstOutcome()
        let outcome: Result<JSONValue, LambdaFunctionError> = await withCheckedContinuation { continuation in
            race.continuation = continuation
            let work = Task {
                let value: Result<JSONValue, LambdaFunctionError>
                do {
                    if handlerName.hasPrefix("exec:") {
                        value = .success(try await ExternalCommand.run(String(handlerName.dropFirst(5)), payload: payload,
                                                                        environment: configuration.environment, logger: logger))
                    } else if let registered {
                        value = .success(try await registered(payload, lambdaContext))
                    } else {
                        value = .failure(LambdaFunctionError("Runtime.HandlerNotFound", "No Swift handler is registered as '\(handlerName)'"))
                    }
                } catch let error as LambdaFunctionError {
                    value = .failure(error)
                } catch {
                    value = .failure(LambdaFunctionError(String(describing: type(of: error)), String(describing: error)))
                }
                race.finish(value)
            }
            let timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(timeout) * 1_000_000_000)
                if Task.isCancelled { return }
                race.finish(.failure(LambdaFunctionError(
                    "Sandbox.Timedout", "RequestId: \(requestId) Error: Task timed out after \(String(format: "%.2f", Double(timeout))) seconds")))
                work.cancel()
            }
            race.onFinish = { timer.cancel() }
        }
        let duration = Date().timeIntervalSince(started) * 1000
        var error: LambdaFunctionError?
        let result: JSONValue
        switch outcome {
        case .success(let value): result = value
        case .failure(let e):
            error = e
            logger.append("\(e.errorType): \(e.errorMessage)")
            var document = JSONObject()
            document.append("errorMessage", .string(e.errorMessage))
            document.append("errorType", .string(e.errorType))
            document.append("requestId", .string(requestId))
            document.append("stackTrace", .array([]))
            result = .object(document)
        }
        logger.append("END RequestId: \(requestId)")
        logger.append(String(format: "REPORT RequestId: %@\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB",
                             requestId, duration, Int(duration.rounded(.up)), configuration.json["MemorySize"]?.intValue ?? 128, 32))
        return InvocationResult(payload: result, error: error, log: logger.text, requestId: requestId)
    }
}

/// A function backed by any program: the event on stdin, the result on stdout.
enum ExternalCommand {
    static func run(_ command: String, payload: JSONValue, environment: [String: String], logger: LambdaLogger) async throws -> JSONValue {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let output: (Int32, Data, Data) = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: LambdaFunctionError("Runtime.InvalidEntrypoint", "Could not start '\(command)': \(error)"))
                    return
                }
                // stdin is written and both outputs drained on their own threads, so a
                // program that ignores its input or writes more than a pipe holds never
                // blocks us (a closed stdin is not an error: the program chose not to read).
                let input = Data(payload.serialized())
                let group = DispatchGroup()
                let out = LockedValue(Data()), err = LockedValue(Data())
                DispatchQueue.global().async(group: group) {
                    try? stdin.fileHandleForWriting.write(contentsOf: input)
                    try? stdin.fileHandleForWriting.close()
                }
                DispatchQueue.global().async(group: group) { out.value = stdout.fileHandleForReading.readDataToEndOfFile() }
                DispatchQueue.global().async(group: group) { err.value = stderr.fileHandleForReading.readDataToEndOfFile() }
                DispatchQueue.global().async {
                    process.waitUntilExit()
                    // A program's own children may keep the pipes open after it ends.
                    _ = group.wait(timeout: .now() + 2)
                    continuation.resume(returning: (process.terminationStatus, out.value, err.value))
                }
            }
        } onCancel: {
            // The command runs in a process group of its own (Foundation spawns it so):
            // a timed-out command's children die with it and release its pipes.
            let pid = process.processIdentifier
            if process.isRunning, pid > 0 { kill(-pid, SIGKILL) }
        }
        let errText = String(decoding: output.2, as: UTF8.self)
        for line in errText.split(separator: "\n") { logger.append(String(line)) }
        let text = String(decoding: output.1, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard output.0 == 0 else {
            // A program reports its own error by printing `{"errorType", "errorMessage"}` and exiting non-zero.
            if let error = try? JSONValue.parse(text).objectValue, let message = error["errorMessage"]?.stringValue {
                throw LambdaFunctionError(error["errorType"]?.stringValue ?? "Error", message)
            }
            throw LambdaFunctionError("Runtime.ExitError", "RequestId: Error: Runtime exited with error: exit status \(output.0)")
        }
        if text.isEmpty { return .null }
        do {
            return try JSONValue.parse(text)
        } catch {
            return .string(text)
        }
    }
}


/// Resumes an invocation once, with whichever of handler and timeout ends first.
private final class FirstOutcome: @unchecked Sendable {
    // @unchecked: every field is guarded by `lock`.
    private let lock = NSLock()
    private var done = false
    private var _continuation: CheckedContinuation<Result<JSONValue, LambdaFunctionError>, Never>?
    private var _onFinish: (@Sendable () -> Void)?

    var continuation: CheckedContinuation<Result<JSONValue, LambdaFunctionError>, Never>? {
        get { lock.withLock { _continuation } }
        set { lock.withLock { _continuation = newValue } }
    }

    var onFinish: (@Sendable () -> Void)? {
        get { lock.withLock { _onFinish } }
        set {
            let runNow = lock.withLock { () -> Bool in
                _onFinish = newValue
                return done
            }
            if runNow { newValue?() }
        }
    }

    func finish(_ value: Result<JSONValue, LambdaFunctionError>) {
        let (continuation, callback): (CheckedContinuation<Result<JSONValue, LambdaFunctionError>, Never>?, (@Sendable () -> Void)?) =
            lock.withLock {
                guard !done else { return (nil, nil) }
                done = true
                return (_continuation, _onFinish)
            }
        continuation?.resume(returning: value)
        callback?()
    }
}
