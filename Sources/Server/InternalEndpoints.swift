import JSON
import Lambda
import SNS
import SQS
import StepFunctions
import Storage
import Wire

/// The emulator's own endpoints under `/_offcloud/`: health, reset for test
/// isolation, and a read-only look into queues.
struct InternalEndpoints: Sendable {
    let version: String
    let database: Database
    let clock: ClockEndpoint
    let sqs: SQSService
    let sns: SNSService
    let stepFunctions: StepFunctionsService
    let lambda: LambdaService
    let defaultAccountId: String
    let defaultRegion: String
    /// Runs after a reset: deploys `definitions/` again, so a clean slate still has them.
    let afterReset: @Sendable () async -> Void
    /// False while a template is still being deployed: health answers 503 until then, so
    /// scripts that wait for health never see a half-deployed stack.
    let ready = LockedValue(false)

    func handle(_ request: WireRequest) async -> WireOutcome {
        switch (request.method, request.path) {
        case ("GET", "/_offcloud/health"):
            let body: JSONValue = [
                "version": .string(version),
                "services": ["sqs": "running", "sns": "running", "stepfunctions": "running", "dynamodb": "running", "lambda": "running", "apigateway": "running"],
                "dataFile": .string(database.path ?? ":memory:"),
                "status": ready.value ? "ready" : "deploying",
            ]
            return json(ready.value ? 200 : 503, body)
        case ("GET", "/_offcloud/clock"):
            return json(200, clock.read())
        case ("POST", "/_offcloud/clock"):
            switch clock.move(request.body) {
            case .success(let now): return json(200, now)
            case .failure(let error): return json(400, ["message": .string(error.message)])
            }
        case ("POST", "/_offcloud/reset"):
            do {
                await stepFunctions.cancelAll()
                await lambda.shutdown()
                try await database.reset()
                await sns.reset()
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
        case ("GET", "/_offcloud/sns/deliveries"):
            let parameters = (try? FormDecoding.decode(request.query)) ?? []
            func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
            do {
                return json(200, try await sns.deliveryLog(protocol: value("Protocol"), endpoint: value("Endpoint"),
                                                           topicArn: value("TopicArn"), subscriptionArn: value("SubscriptionArn")))
            } catch {
                return WireOutcome(json(500, ["message": "Internal error"]).response, unexpected: error)
            }
        case ("GET", _) where request.path.hasPrefix("/_offcloud/sns/") && request.path.hasSuffix(".pem"):
            guard let certificate = sns.signingCertificate, request.path == "/_offcloud/sns/\(certificate.name)" else {
                return json(404, ["message": "No such certificate"])
            }
            var headers = WireHeaders()
            headers.add("Content-Type", "application/x-pem-file")
            return WireOutcome(WireResponse(status: 200, headers: headers, body: Array(certificate.pem.utf8)))
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
