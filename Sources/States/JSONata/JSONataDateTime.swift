import Foundation

/// Dates as JSONata handles them: milliseconds since the epoch, ISO 8601 text,
/// and XPath `format-dateTime` picture strings such as `[Y0001]-[M01]-[D01]`.
enum JSONataDateTime {
    struct Fields {
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0
        var weekday = 4   // 1 = Monday … 7 = Sunday
        var dayOfYear = 1
    }

    static func civil(_ millis: Double, offsetMinutes: Int) -> Fields {
        let total = Int64(millis) + Int64(offsetMinutes) * 60_000
        var days = total >= 0 ? total / 86_400_000 : (total - 86_399_999) / 86_400_000
        let msOfDay = Int(total - days * 86_400_000)
        var f = Fields()
        f.hour = msOfDay / 3_600_000
        f.minute = msOfDay / 60_000 % 60
        f.second = msOfDay / 1000 % 60
        f.millisecond = msOfDay % 1000
        f.weekday = Int(((days % 7) + 7 + 3) % 7) + 1
        // days since epoch → civil date (Howard Hinnant's algorithm)
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        f.day = Int(doy - (153 * mp + 2) / 5 + 1)
        f.month = Int(mp < 10 ? mp + 3 : mp - 9)
        f.year = Int(yoe + era * 400) + (f.month <= 2 ? 1 : 0)
        f.dayOfYear = Int(daysFromCivil(f.year, f.month, f.day) - daysFromCivil(f.year, 1, 1)) + 1
        return f
    }

    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func millis(_ f: Fields, offsetMinutes: Int) -> Double {
        let days = daysFromCivil(f.year, f.month, f.day)
        let ms = days * 86_400_000 + Int64(f.hour) * 3_600_000 + Int64(f.minute) * 60_000 + Int64(f.second) * 1000
            + Int64(f.millisecond) - Int64(offsetMinutes) * 60_000
        return Double(ms)
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(abs(n))
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// `Date.prototype.toISOString()`.
    static func iso(_ millis: Double) -> String {
        let f = civil(millis, offsetMinutes: 0)
        let year = (0...9999).contains(f.year) ? pad(f.year, 4) : (f.year < 0 ? "-" : "+") + pad(abs(f.year), 6)
        return "\(year)-\(pad(f.month, 2))-\(pad(f.day, 2))T\(pad(f.hour, 2)):\(pad(f.minute, 2)):\(pad(f.second, 2)).\(pad(f.millisecond, 3))Z"
    }

    /// ISO 8601 as `$toMillis` accepts it: a date, optionally a time, fraction and offset.
    static func parseISO(_ text: String) -> Double? {
        let pattern = #"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2})(?::(\d{2}))?(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> String? {
            let r = m.range(at: i)
            guard r.location != NSNotFound, let range = Range(r, in: text) else { return nil }
            return String(text[range])
        }
        var f = Fields()
        f.year = Int(group(1)!)!
        f.month = group(2).flatMap { Int($0) } ?? 1
        f.day = group(3).flatMap { Int($0) } ?? 1
        f.hour = group(4).flatMap { Int($0) } ?? 0
        f.minute = group(5).flatMap { Int($0) } ?? 0
        f.second = group(6).flatMap { Int($0) } ?? 0
        if let fraction = group(7) {
            let digits = String(fraction.dropFirst().prefix(3))
            f.millisecond = Int(digits + String(repeating: "0", count: 3 - digits.count)) ?? 0
        }
        guard (1...12).contains(f.month), (1...31).contains(f.day), f.hour <= 24, f.minute < 60, f.second < 60 else { return nil }
        var offset = 0
        if let zone = group(8), zone != "Z" {
            offset = (try? offsetMinutes(zone)) ?? 0
        }
        return millis(f, offsetMinutes: offset)
    }

    /// "+0530", "-05:00", "Z" → minutes east of UTC.
    static func offsetMinutes(_ zone: String) throws -> Int {
        if zone == "Z" || zone.isEmpty { return 0 }
        let sign = zone.hasPrefix("-") ? -1 : 1
        let digits = zone.filter(\.isNumber)
        guard digits.count == 4 || digits.count == 2, let value = Int(digits) else {
            throw JSONataFault("D3134", value: .string(zone))
        }
        let hours = digits.count == 4 ? value / 100 : value
        let minutes = digits.count == 4 ? value % 100 : 0
        return sign * (hours * 60 + minutes)
    }
}
