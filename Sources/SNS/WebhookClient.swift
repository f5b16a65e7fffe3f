import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// POSTs to HTTP/S subscribers with URLSession. An answer in 200–499 counts as
/// delivered (as on AWS); 5xx, a timeout (15 s) or no connection is a failure to retry.
final class WebhookClient: Sendable {
    let session: URLSession

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 15
        configuration.timeoutIntervalForResource = 15
        configuration.httpMaximumConnectionsPerHost = 8
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    enum Outcome: Sendable, Equatable {
        case delivered(status: Int)
        case failed(String)
    }

    func post(_ url: String, headers: [(String, String)], body: String) async -> Outcome {
        guard let target = URL(string: url) else { return .failed("invalid URL") }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = Data(body.utf8)
        request.timeoutInterval = 15
        do {
            let (_, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if (200..<500).contains(status) { return .delivered(status: status) }
            return .failed("HTTP \(status)")
        } catch {
            return .failed(String(describing: error))
        }
    }
}
