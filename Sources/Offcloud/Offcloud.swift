import Foundation
import JSON
import Lambda
import Server
import Wire

/// Offcloud inside a Swift test: the whole emulator in-process, started in a few
/// milliseconds, with Swift handlers, an optional template or definitions, a
/// virtual clock, and an in-process client for every service.
///
/// ```swift
/// let offcloud = try await Offcloud.start(handlers: handlers, template: "template.yaml", virtualClock: true)
/// defer { Task { await offcloud.stop() } }
/// _ = try await offcloud.aws.call(service: "sqs", operation: "SendMessage", input: [...])
/// ```
public enum Offcloud {
    /// - Parameters:
    ///   - port: 0 picks a free port; nil starts no server at all (only `aws` is used).
    ///   - template: a CloudFormation/SAM template to deploy, with `parameters`.
    ///   - definitions: a folder of `*.asl.json` state machines to deploy.
    ///   - virtualClock: run on a clock that moves only through `advanceClock`.
    ///   - dataDirectory: where SQLite keeps state; nil keeps everything in memory.
    public static func start(port: Int? = 0, handlers: LambdaHandlers = LambdaHandlers(), template: String? = nil,
                             parameters: [String: String] = [:], definitions: String? = nil, virtualClock: Bool = false,
                             dataDirectory: String? = nil) async throws -> OffcloudInstance {
        var configuration = Emulator.Configuration(port: port ?? 0, dataDirectory: dataDirectory, durability: .normal,
                                                   definitionsDirectory: definitions, handlers: handlers)
        configuration.listens = port != nil
        configuration.template = template
        configuration.parameterOverrides = parameters
        let clock = virtualClock ? ManualClock(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) : nil
        if let clock { configuration.clock = clock }
        return OffcloudInstance(emulator: try await Emulator.start(configuration), clock: clock)
    }
}

/// A running emulator started by `Offcloud.start`.
public final class OffcloudInstance: Sendable {
    public let emulator: Emulator
    let clock: ManualClock?

    init(emulator: Emulator, clock: ManualClock?) {
        self.emulator = emulator
        self.clock = clock
    }

    /// `http://127.0.0.1:<port>` for SDK clients, or nil when started without a port.
    public var endpoint: String? { emulator.port == 0 ? nil : "http://127.0.0.1:\(emulator.port)" }

    /// Every service's operations in-process (`call(service: "dynamodb", operation: "GetItem", input: …)`);
    /// a service's refusal is a `LambdaFunctionError` whose `errorType` is AWS's error code.
    public var aws: any InProcessAWS { emulator.aws }

    /// The deployed template's Outputs by name.
    public var outputs: [String: String] {
        Dictionary(emulator.stackOutputs.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// Moves the virtual clock (Wait states, retries, visibility timeouts, TTL, …).
    public func advanceClock(seconds: Double) {
        precondition(clock != nil, "advanceClock needs Offcloud.start(virtualClock: true)")
        clock?.advance(milliseconds: Int64((seconds * 1000).rounded()))
    }

    /// The emulator's time, in milliseconds since 1970.
    public var now: Int64 { clock?.nowMilliseconds() ?? Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    public func stop() async { await emulator.shutdown() }
}
