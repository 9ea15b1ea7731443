/// A point in time read from a log line: microseconds since 1970-01-01 UTC. Logs carry
/// civil time without a year (syslog) or with an offset (RFC 3339); both end up here so
/// lines of different hosts and formats compare directly.
public struct LogInstant: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }
    public init(seconds: Int64) { microseconds = seconds * 1_000_000 }

    public static func < (lhs: LogInstant, rhs: LogInstant) -> Bool { lhs.microseconds < rhs.microseconds }

    public func adding(seconds: Int64) -> LogInstant { LogInstant(microseconds: microseconds + seconds * 1_000_000) }

    /// Seconds from `self` to `other` (negative when `other` is earlier).
    public func seconds(to other: LogInstant) -> Double { Double(other.microseconds - microseconds) / 1_000_000 }

    /// The UTC civil time, `2026-12-06T10:57:55Z` (fractions when present).
    public var description: String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let fraction = microseconds - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        if fraction != 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: 6 - digits.count) + digits
        }
        return text + "Z"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The year of this instant in UTC.
    var year: Int64 {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return Self.civil(fromDays: days).year
    }

    /// Encoded as its UTC text, so reports stay readable and keys stable.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let instant = LogInstant(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text)")
        }
        self = instant
    }

    /// Parses `2026-12-06T10:57:55Z` or with an offset/fraction (the report's and the CLI's form).
    public init?(iso text: String) {
        let clock = LogClock(anchor: LogInstant(seconds: 0))
        let bytes = Array(text.utf8) + [UInt8(ascii: " ")]
        guard let (instant, end) = clock.timestamp(in: bytes[...]), end == bytes.count - 1 else { return nil }
        self = instant
    }
}
