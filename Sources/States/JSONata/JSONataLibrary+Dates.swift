import Foundation

/// $now, $millis, $fromMillis and $toMillis.
extension JSONataLibrary {
    static let dates: [JSONataBuiltin] = [
        JSONataBuiltin("now", "<s?s?:s>") { call, args in
            let millis = (call.evaluator.now.timeIntervalSince1970 * 1000).rounded(.down)
            return try fromMillis(millis, picture: string(args.first ?? nil), timezone: string(args.count > 1 ? args[1] : nil))
        },
        JSONataBuiltin("millis", "<:n>") { call, _ in
            .number((call.evaluator.now.timeIntervalSince1970 * 1000).rounded(.down))
        },
        JSONataBuiltin("fromMillis", "<n-s?s?:s>") { _, args in
            guard let millis = number(args[0]) else { return nil }
            return try fromMillis(millis.rounded(.down), picture: string(args.count > 1 ? args[1] : nil),
                                  timezone: string(args.count > 2 ? args[2] : nil))
        },
        JSONataBuiltin("toMillis", "<s-s?:n>") { _, args in
            guard let text = string(args[0]) else { return nil }
            if let picture = string(args.count > 1 ? args[1] : nil) {
                return try JSONataDateTime.parse(text, picture: picture).map { .number($0) }
            }
            guard let millis = JSONataDateTime.parseISO(text) else { throw JSONataFault("D3110", value: args[0]) }
            return .number(millis)
        },
    ]

    static func fromMillis(_ millis: Double, picture: String?, timezone: String?) throws -> JValue {
        if picture == nil, timezone == nil { return .string(JSONataDateTime.iso(millis)) }
        let offset = try timezone.map(JSONataDateTime.offsetMinutes) ?? 0
        return .string(try JSONataDateTime.format(millis, picture: picture ?? "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]",
                                                  offsetMinutes: offset))
    }
}
