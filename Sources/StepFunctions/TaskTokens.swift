import Foundation
import JSON
import States

/// Callbacks waiting for `SendTaskSuccess` / `SendTaskFailure`: `.waitForTaskToken`
/// integrations and activities park here until a worker answers.
actor TaskTokens {
    private var waiting: [String: CheckedContinuation<Result<JSONValue, StatesError>, Never>] = [:]
    private var early: [String: Result<JSONValue, StatesError>] = [:]
    private var heartbeats: [String: Int64] = [:]

    /// Suspends until the token is answered (or the task is cancelled).
    func wait(for token: String) async -> Result<JSONValue, StatesError> {
        if let answer = early.removeValue(forKey: token) { return answer }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: .failure(StatesError("States.Runtime", "The execution was stopped.")))
                } else {
                    waiting[token] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(token) }
        }
    }

    private func cancel(_ token: String) {
        waiting.removeValue(forKey: token)?.resume(returning: .failure(StatesError("States.Runtime", "The execution was stopped.")))
    }

    /// Answers a token; false if nobody waits for it in this process.
    func answer(_ token: String, with result: Result<JSONValue, StatesError>) -> Bool {
        if let c = waiting.removeValue(forKey: token) {
            c.resume(returning: result)
            heartbeats[token] = nil
            return true
        }
        return false
    }

    func isWaiting(_ token: String) -> Bool { waiting[token] != nil }

    func heartbeat(_ token: String, at now: Int64) -> Bool {
        guard waiting[token] != nil else { return false }
        heartbeats[token] = now
        return true
    }

    func lastHeartbeat(_ token: String) -> Int64? { heartbeats[token] }
}

/// Activity tasks scheduled and not yet picked up by a worker (`GetActivityTask`).
actor ActivityQueues {
    struct Pending: Sendable {
        var token: String
        var input: String
        /// Records ActivityStarted in the execution's history when a worker takes it.
        var started: (@Sendable (String?) async -> Void)?
    }
    private var pending: [String: [Pending]] = [:]
    private var pollers: [String: [CheckedContinuation<Pending?, Never>]] = [:]

    func schedule(_ activityArn: String, _ task: Pending) {
        if var waiting = pollers[activityArn], !waiting.isEmpty {
            let poller = waiting.removeFirst()
            pollers[activityArn] = waiting
            poller.resume(returning: task)
            return
        }
        pending[activityArn, default: []].append(task)
    }

    /// The next task for `activityArn`, waiting up to `milliseconds` for one.
    func next(_ activityArn: String, waitingUpTo milliseconds: Int64) async -> Pending? {
        if var queue = pending[activityArn], !queue.isEmpty {
            let task = queue.removeFirst()
            pending[activityArn] = queue
            return task
        }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Pending?, Never>) in
            pollers[activityArn, default: []].append(continuation)
            Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, milliseconds)) * 1_000_000)
                self.expire(activityArn)
            }
        }
    }

    /// Ends the oldest poll that is still waiting with no task.
    private func expire(_ activityArn: String) {
        guard var waiting = pollers[activityArn], !waiting.isEmpty else { return }
        let poller = waiting.removeFirst()
        pollers[activityArn] = waiting
        poller.resume(returning: nil)
    }

    func remove(token: String) {
        for (arn, queue) in pending { pending[arn] = queue.filter { $0.token != token } }
    }
}
