import Foundation
import JSON
import States
import Wire

/// `GET /_offcloud/clock` reads the emulator's time; `POST` with `{"advance": "PT1H"}`
/// or `{"set": "2030-01-01T00:00:00Z"}` moves it for every service at once, when the
/// server runs on a virtual clock (`--virtual-clock`).
struct ClockEndpoint: Sendable {
    let clock: any EpochClock

    func read() -> JSONValue {
        let now = clock.nowMilliseconds()
        return ["now": .string(Self.iso8601(now)), "epochMillis": .integer(now), "virtual": .bool(clock is ManualClock)]
    }

    /// The new time, or an error message for a 400.
    func move(_ body: [UInt8]) -> Result<JSONValue, ClockError> {
        guard let manual = clock as? ManualClock else {
            return .failure(ClockError("The clock is real; start the server with --virtual-clock to move it."))
        }
        guard let request = try? JSONValue.parse(body).objectValue else {
            return .failure(ClockError(#"The body must be a JSON object: {"advance": "PT1H"} or {"set": "<timestamp>"}."#))
        }
        if let advance = request["advance"] {
            guard let text = advance.stringValue, let milliseconds = Self.durationMilliseconds(text), milliseconds >= 0 else {
                return .failure(ClockError("advance must be an ISO 8601 duration such as PT1H, P7D or PT0.5S; got \(advance.jsonString)."))
            }
            manual.advance(milliseconds: milliseconds)
        } else if let set = request["set"] {
            let target: Int64?
            switch set {
            case .number(let n): target = Int64(n) ?? Double(n).map { Int64($0) }
            case .string(let s): target = Self.timestampMilliseconds(s)
            default: target = nil
            }
            guard let target else { return .failure(ClockError("set must be an ISO 8601 timestamp or epoch milliseconds; got \(set.jsonString).")) }
            guard target >= manual.nowMilliseconds() else {
                return .failure(ClockError("The clock only moves forward: \(Self.iso8601(target)) is before \(Self.iso8601(manual.nowMilliseconds()))."))
            }
            manual.set(milliseconds: target)
        } else {
            return .failure(ClockError(#"Give "advance" (an ISO 8601 duration) or "set" (a timestamp)."#))
        }
        return .success(read())
    }

    struct ClockError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static func iso8601(_ milliseconds: Int64) -> String { Timestamp.format(milliseconds: milliseconds) }

    static func timestampMilliseconds(_ text: String) -> Int64? { Timestamp(text)?.milliseconds }

    /// `P[nW][nD][T[nH][nM][n[.n]S]]`; years and months have no fixed length and are refused.
    static func durationMilliseconds(_ text: String) -> Int64? {
        guard text.hasPrefix("P"), text.count > 1 else { return nil }
        var total = 0.0
        var number = ""
        var inTime = false
        var sawUnit = false
        for c in text.dropFirst() {
            if c.isNumber || c == "." || c == "," {
                number.append(c == "," ? "." : c)
                continue
            }
            if c == "T" {
                guard number.isEmpty, !inTime else { return nil }
                inTime = true
                continue
            }
            guard let value = Double(number) else { return nil }
            number = ""
            sawUnit = true
            switch (c, inTime) {
            case ("W", false): total += value * 604_800
            case ("D", false): total += value * 86_400
            case ("H", true): total += value * 3_600
            case ("M", true): total += value * 60
            case ("S", true): total += value
            default: return nil
            }
        }
        guard number.isEmpty, sawUnit else { return nil }
        return Int64((total * 1000).rounded())
    }
}
