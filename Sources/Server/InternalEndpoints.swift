import JSON
import Lambda
import SQS
import StepFunctions
import Storage
import Wire

/// The emulator's own endpoints under `/_offcloud/`: health, reset for test
/// isolation, and a read-only look into queues.
struct InternalEndpoints: Sendable {
    let version: String
    let database: Database
    let sqs: SQSService
    let stepFunctions: StepFunctionsService
    let lambda: LambdaService
    let defaultAccountId: String
    let defaultRegion: String
    /// Runs after a reset: deploys `definitions/` again, so a clean slate still has them.
    let afterReset: @Sendable () async -> Void

    func handle(_ request: WireRequest) async -> WireOutcome {
        switch (request.method, request.path) {
        case ("GET", "/_offcloud/health"):
            let body: JSONValue = [
                "version": .string(version),
                "services": ["sqs": "running", "stepfunctions": "running", "dynamodb": "running", "lambda": "running", "apigateway": "running"],
                "dataFile": .string(database.path ?? ":memory:"),
            ]
            return json(200, body)
        case ("POST", "/_offcloud/reset"):
            do {
                await stepFunctions.cancelAll()
                await lambda.shutdown()
                try await database.reset()
                sqs.wakeAllReceivers()
                await afterReset()
                return json(200, ["reset": true])
            } catch {
                return WireOutcome(json(500, ["message": .string("Reset failed")]).response, unexpected: error)
            }
        case ("GET", "/_offcloud/sqs/messages"):
            let parameters = (try? FormDecoding.decode(request.query)) ?? []
            guard let url = parameters.first(where: { $0.name == "QueueUrl" })?.value else {
                return json(400, ["message": "QueueUrl is required"])
            }
            let account = parameters.first { $0.name == "AccountId" }?.value ?? defaultAccountId
            let region = parameters.first { $0.name == "Region" }?.value ?? defaultRegion
            do {
                return json(200, try await sqs.peekMessages(queueURL: url, accountId: account, region: region))
            } catch let error as AWSServiceError {
                return json(error.httpStatus, ["__type": .string(error.code), "message": .string(error.message)])
            } catch {
                return WireOutcome(json(500, ["message": "Internal error"]).response, unexpected: error)
            }
        default:
            return json(404, ["message": .string("No internal endpoint \(request.method) \(request.path)")])
        }
    }

    private func json(_ status: Int, _ body: JSONValue) -> WireOutcome {
        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        return WireOutcome(WireResponse(status: status, headers: headers, body: body.serialized()))
    }
}
