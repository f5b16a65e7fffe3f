import Foundation
import JSON
import Storage
import Wire

/// Event invocations: queued in SQLite before the 202 answer, so an accepted event
/// survives a restart; on failure retried twice, a minute and then two minutes later,
/// as Lambda's asynchronous invocation does.
extension LambdaService {
    func enqueueEvent(_ configuration: FunctionConfiguration, payload: JSONValue, context: RequestContext) async throws {
        let id = UUID().uuidString.lowercased()
        let due = clock.nowMilliseconds()
        try await database.transaction { db in
            try db.run("INSERT INTO lambda_async_invocations (id, function_arn, payload, attempt, due, account, region) VALUES (?, ?, ?, 0, ?, ?, ?)",
                       .text(id), .text(configuration.arn), .text(payload.jsonString), .integer(due),
                       .text(context.accountId), .text(context.region))
        }
        await startQueued(id, functionArn: configuration.arn, payload: payload, attempt: 0, due: due, context: context)
    }

    func startQueued(_ id: String, functionArn: String, payload: JSONValue, attempt: Int, due: Int64, context: RequestContext) async {
        let service = self
        await pollers.start("event:\(id)") {
            await service.runQueued(id, functionArn: functionArn, payload: payload, attempt: attempt, due: due, context: context)
        }
    }

    func runQueued(_ id: String, functionArn: String, payload: JSONValue, attempt first: Int, due firstDue: Int64,
                   context: RequestContext) async {
        var attempt = first
        var due = firstDue
        while attempt < 3 {
            await clock.sleep(untilMilliseconds: due)
            if Task.isCancelled { return }  // stays queued for the next start
            // A version's queued event runs that version (its ARN carries the number).
            guard let (base, qualifier) = try? Self.qualified(functionArn, given: nil, context),
                  let configuration = try? await database.read({ [self] db in try resolve(base, qualifier: qualifier, db: db).0 })
            else { break }
            let result = await run(configuration, payload: payload, context: context)
            if result.error == nil { break }
            attempt += 1
            due = clock.nowMilliseconds() + Int64(attempt) * 60_000
            let (a, d) = (attempt, due)
            _ = try? await database.transaction { db in
                try db.run("UPDATE lambda_async_invocations SET attempt = ?, due = ? WHERE id = ?", .integer(Int64(a)), .integer(d), .text(id))
            }
        }
        _ = try? await database.transaction { db in try db.run("DELETE FROM lambda_async_invocations WHERE id = ?", .text(id)) }
        await pollers.forget("event:\(id)")
    }

    /// Restarts the queued Event invocations (after a restart).
    func resumeQueuedEvents() async {
        let rows: [(String, String, String, Int64, Int64, String, String)] = (try? await database.read { db in
            try db.all("SELECT id, function_arn, payload, attempt, due, account, region FROM lambda_async_invocations") {
                ($0.text(0), $0.text(1), $0.text(2), $0.int64(3), $0.int64(4), $0.text(5), $0.text(6))
            }
        }) ?? []
        for (id, arn, payload, attempt, due, account, region) in rows {
            guard let event = try? JSONValue.parse(Array(payload.utf8)) else { continue }
            await startQueued(id, functionArn: arn, payload: event, attempt: Int(attempt), due: due,
                              context: RequestContext(requestId: id, accountId: account, region: region, host: "localhost:4566"))
        }
    }
}
