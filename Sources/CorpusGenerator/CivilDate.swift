import MailModel

/// Calendar arithmetic for RFC 5322 dates without Foundation's locale machinery (so the
/// output never depends on the machine's settings). Algorithms after Howard Hinnant's
/// "chrono-compatible low-level date algorithms", which `InternalDate` implements.
enum CivilDate {
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        InternalDate.daysFromCivil(year: year, month: month, day: day)
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        InternalDate.civilFromDays(days)
    }

    static func epochSeconds(year: Int, month: Int, day: Int) -> Int64 {
        Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
    }

    static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Tue, 05 Mar 2019 14:03:22 +0100`: the instant `seconds` shown in zone `zoneMinutes`.
    static func rfc5322(_ seconds: Int64, zoneMinutes: Int) -> String {
        let local = seconds + Int64(zoneMinutes * 60)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let secondOfDay = Int(local - Int64(days) * 86_400)
        let (y, m, d) = civilFromDays(days)
        let weekday = weekdays[((days % 7) + 7) % 7]
        let sign = zoneMinutes < 0 ? "-" : "+"
        let offset = abs(zoneMinutes)
        return "\(weekday), \(pad(d)) \(months[m - 1]) \(y) \(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60)) \(sign)\(pad(offset / 60))\(pad(offset % 60))"
    }

    private static func pad(_ n: Int) -> String {
        n < 10 ? "0\(n)" : "\(n)"
    }
}
