/// An IMAP INTERNALDATE (RFC 3501 `date-time`): an instant plus the zone offset the server
/// reported, so that it can be written back exactly as it was read.
public struct InternalDate: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSince1970: Int64
    /// The zone offset in minutes east of UTC (`+0100` is 60).
    public let zoneOffsetMinutes: Int

    public init(secondsSince1970: Int64, zoneOffsetMinutes: Int = 0) {
        self.secondsSince1970 = secondsSince1970
        self.zoneOffsetMinutes = zoneOffsetMinutes
    }

    /// Two dates are the same instant, whatever zone they are written in.
    public func isSameInstant(as other: InternalDate) -> Bool { secondsSince1970 == other.secondsSince1970 }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parse `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`
    /// without the quotes, e.g. ` 7-Feb-1994 21:52:25 -0800`. A leading space or a two-digit day
    /// are both accepted.
    public init?(imapString: String) {
        let trimmed = imapString.trimmingLeadingSpaces()
        let parts = trimmed.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3 else { return nil }
        let dateParts = parts[0].split(separator: "-")
        guard dateParts.count == 3,
            let day = Int(dateParts[0]), (1...31).contains(day), dateParts[0].count <= 2,
            let monthIndex = InternalDate.months.firstIndex(where: { $0.lowercased() == dateParts[1].lowercased() }),
            dateParts[2].count == 4, let year = Int(dateParts[2])
        else { return nil }
        let timeParts = parts[1].split(separator: ":")
        guard timeParts.count == 3, timeParts.allSatisfy({ $0.count == 2 }),
            let hour = Int(timeParts[0]), let minute = Int(timeParts[1]), let second = Int(timeParts[2]),
            hour < 24, minute < 60, second < 61
        else { return nil }
        let zone = parts[2]
        guard zone.count == 5, let sign = zone.first, sign == "+" || sign == "-",
            let zoneValue = Int(zone.dropFirst()), zone.dropFirst().allSatisfy(\.isASCII)
        else { return nil }
        let zoneMinutes = (zoneValue / 100) * 60 + zoneValue % 100
        let offset = sign == "-" ? -zoneMinutes : zoneMinutes
        let days = InternalDate.daysFromCivil(year: year, month: monthIndex + 1, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(secondsSince1970: local - Int64(offset * 60), zoneOffsetMinutes: offset)
    }

    /// The IMAP form, e.g. `07-Feb-1994 21:52:25 -0800` (two-digit day; no quotes).
    public var imapString: String {
        let local = secondsSince1970 + Int64(zoneOffsetMinutes * 60)
        let days = Int(local.floorDivided(by: 86_400))
        let secondsOfDay = Int(local - Int64(days) * 86_400)
        let (year, month, day) = InternalDate.civilFromDays(days)
        let sign = zoneOffsetMinutes < 0 ? "-" : "+"
        let zone = abs(zoneOffsetMinutes)
        return "\(pad(day))-\(InternalDate.months[month - 1])-\(year) "
            + "\(pad(secondsOfDay / 3600)):\(pad(secondsOfDay / 60 % 60)):\(pad(secondsOfDay % 60)) "
            + "\(sign)\(pad(zone / 60))\(pad(zone % 60))"
    }

    public var description: String { imapString }

    /// The instant in UTC for reports, e.g. `1994-02-08 05:52:25 UTC`.
    public var utcString: String {
        let days = Int(secondsSince1970.floorDivided(by: 86_400))
        let rest = Int(secondsSince1970 - Int64(days) * 86_400)
        let (year, month, day) = InternalDate.civilFromDays(days)
        return "\(year)-\(pad(month))-\(pad(day)) \(pad(rest / 3600)):\(pad(rest / 60 % 60)):\(pad(rest % 60)) UTC"
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a day number (days since 1970-01-01).
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension String {
    fileprivate func trimmingLeadingSpaces() -> Substring {
        self.drop(while: { $0 == " " })
    }
}
