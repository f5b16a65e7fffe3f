import Foundation

/// A regular expression literal (`/ab+c/i`), compiled once with
/// NSRegularExpression. Offsets are in UTF-16 units, as in JavaScript.
final class JSONataRegex: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented thread-safe.
    let regex: NSRegularExpression
    let pattern: String

    init(pattern: String, flags: String, position: Int) throws {
        var options: NSRegularExpression.Options = []
        if flags.contains("i") { options.insert(.caseInsensitive) }
        if flags.contains("m") { options.insert(.anchorsMatchLines) }
        self.pattern = pattern
        do {
            regex = try NSRegularExpression(pattern: pattern, options: options)
        } catch {
            throw JSONataError.make("S0302", position, token: pattern)
        }
    }

    struct Match {
        var match: String
        var start: Int     // UTF-16 offset
        var end: Int
        var groups: [String]
    }

    func matches(in string: String, limit: Int = .max) -> [Match] {
        let ns = string as NSString
        var out: [Match] = []
        for result in regex.matches(in: string, range: NSRange(location: 0, length: ns.length)) {
            if out.count >= limit { break }
            var groups: [String] = []
            if result.numberOfRanges > 1 {
                for g in 1..<result.numberOfRanges {
                    let r = result.range(at: g)
                    groups.append(r.location == NSNotFound ? "" : ns.substring(with: r))
                }
            }
            out.append(Match(match: ns.substring(with: result.range), start: result.range.location,
                             end: result.range.location + result.range.length, groups: groups))
        }
        return out
    }
}
