import JSON

/// One entry of an execution's history, shaped as `GetExecutionHistory` returns it.
public struct HistoryEvent: Sendable, Equatable {
    public var id: Int
    public var previousEventId: Int
    public var timestamp: Int64
    public var type: String
    /// The `…EventDetails` member name and its content, if the type has details.
    public var detailsKey: String?
    public var details: JSONObject?

    public init(id: Int, previousEventId: Int, timestamp: Int64, type: String, detailsKey: String? = nil, details: JSONObject? = nil) {
        self.id = id
        self.previousEventId = previousEventId
        self.timestamp = timestamp
        self.type = type
        self.detailsKey = detailsKey
        self.details = details
    }
}

/// Receives history as the interpreter makes it. `append` is called for every event;
/// `commit` at the points where durability matters (before a task's side effect,
/// before a wait, at the end), with the top-level checkpoint to resume from.
public protocol HistoryRecorder: Sendable {
    func append(_ event: HistoryEvent) async
    func commit(checkpoint: Checkpoint?) async throws
}

/// Keeps history in memory: for `offcloud run`, tests and TestState.
public actor InMemoryHistory: HistoryRecorder {
    public private(set) var events: [HistoryEvent] = []
    public private(set) var lastCheckpoint: Checkpoint?
    public init() {}
    public func append(_ event: HistoryEvent) { events.append(event) }
    public func commit(checkpoint: Checkpoint?) { if let checkpoint { lastCheckpoint = checkpoint } }
}

/// Numbers events and links each to the one before it on its path of execution.
actor HistoryLog {
    private var nextId = 1
    private let recorder: HistoryRecorder
    private let clock: StatesClock

    init(recorder: HistoryRecorder, clock: StatesClock, startingAt id: Int = 1) {
        self.recorder = recorder
        self.clock = clock
        nextId = id
    }

    /// Records an event caused by event `previous`; returns the new event's id.
    @discardableResult
    func record(_ type: String, previous: Int, details: (String, JSONObject)? = nil) async -> Int {
        let id = nextId
        nextId += 1
        await recorder.append(HistoryEvent(id: id, previousEventId: previous, timestamp: clock.nowMilliseconds(), type: type,
                                           detailsKey: details?.0, details: details?.1))
        return id
    }

    func commit(_ checkpoint: Checkpoint?) async throws { try await recorder.commit(checkpoint: checkpoint) }

    /// The id of the newest event.
    var lastId: Int { nextId - 1 }
}
