/// Reads the timestamp at the start of a log line. Two shapes exist on the hosts mailferry
/// migrates: the traditional syslog `Dec  6 10:57:55` (also Postfix's `maillog_file` and
/// Dovecot's `log_path`, which write `Dec 06`), optionally with a fraction, and RFC 3339
/// (`2026-12-06T10:57:55.123456+01:00`, rsyslog's high-precision format and journalctl's
/// `-o short-iso`). The syslog shape has no year and no zone: the year is the one that puts
/// the line nearest to `anchor` (a window never spans more than a few months), and the zone
/// is the host's offset from UTC, which the caller knows.
public struct LogClock: Sendable, Hashable {
    public var anchor: LogInstant
    public var utcOffsetSeconds: Int64

    public init(anchor: LogInstant, utcOffsetSeconds: Int64 = 0) {
        self.anchor = anchor
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }

    /// The instant and the index just past the timestamp (at the separating space), or nil.
    func timestamp(in line: ArraySlice<UInt8>) -> (LogInstant, Int)? {
        guard let first = line.first else { return nil }
        return first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") ? rfc3339(line) : syslog(line)
    }

    private func syslog(_ line: ArraySlice<UInt8>) -> (LogInstant, Int)? {
        var index = line.startIndex
        guard line.count >= 15, let month = Self.months.firstIndex(where: { Array(line[index..<index + 3]) == $0 }) else { return nil }
        index += 3
        guard line[index] == UInt8(ascii: " ") else { return nil }
        index += 1
        if line[index] == UInt8(ascii: " ") { index += 1 }
        guard let day = number(line, &index, maxDigits: 2), day >= 1, day <= 31,
              index < line.endIndex, line[index] == UInt8(ascii: " ") else { return nil }
        index += 1
        guard let (secondOfDay, fraction) = timeOfDay(line, &index) else { return nil }
        guard index < line.endIndex, line[index] == UInt8(ascii: " ") else { return nil }
        var best: LogInstant?
        for year in [anchor.year - 1, anchor.year, anchor.year + 1] {
            let days = LogInstant.days(year: year, month: Int64(month + 1), day: day)
            let candidate = LogInstant(microseconds: (days * 86_400 + secondOfDay - utcOffsetSeconds) * 1_000_000 + fraction)
            if best == nil || abs(candidate.microseconds - anchor.microseconds) < abs(best!.microseconds - anchor.microseconds) {
                best = candidate
            }
        }
        return best.map { ($0, index) }
    }

    private func rfc3339(_ line: ArraySlice<UInt8>) -> (LogInstant, Int)? {
        var index = line.startIndex
        guard let year = number(line, &index, maxDigits: 4), expect(line, &index, "-"),
              let month = number(line, &index, maxDigits: 2), month >= 1, month <= 12, expect(line, &index, "-"),
              let day = number(line, &index, maxDigits: 2), day >= 1, day <= 31,
              index < line.endIndex, line[index] == UInt8(ascii: "T") || line[index] == UInt8(ascii: " ") else { return nil }
        index += 1
        guard let (secondOfDay, fraction) = timeOfDay(line, &index), index < line.endIndex else { return nil }
        var offset: Int64 = 0
        switch line[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = line[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(line, &index, maxDigits: 2), hours < 24 else { return nil }
            _ = expect(line, &index, ":")
            guard let minutes = number(line, &index, maxDigits: 2), minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        default:
            offset = utcOffsetSeconds
        }
        guard index < line.endIndex, line[index] == UInt8(ascii: " ") else { return nil }
        let days = LogInstant.days(year: year, month: month, day: day)
        return (LogInstant(microseconds: (days * 86_400 + secondOfDay - offset) * 1_000_000 + fraction), index)
    }

    /// `HH:MM:SS[.f…]`: seconds of the day and microseconds.
    private func timeOfDay(_ line: ArraySlice<UInt8>, _ index: inout Int) -> (Int64, Int64)? {
        guard let hour = number(line, &index, maxDigits: 2), hour < 24, expect(line, &index, ":"),
              let minute = number(line, &index, maxDigits: 2), minute < 60, expect(line, &index, ":"),
              let second = number(line, &index, maxDigits: 2), second <= 60 else { return nil }
        var fraction: Int64 = 0
        if index < line.endIndex, line[index] == UInt8(ascii: ".") || line[index] == UInt8(ascii: ",") {
            index += 1
            var digits = 0
            while index < line.endIndex, line[index] >= UInt8(ascii: "0"), line[index] <= UInt8(ascii: "9") {
                if digits < 6 { fraction = fraction * 10 + Int64(line[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
                guard digits <= 12 else { return nil }
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 6)..<6 { fraction *= 10 }
        }
        return (hour * 3600 + minute * 60 + second, fraction)
    }

    private func number(_ line: ArraySlice<UInt8>, _ index: inout Int, maxDigits: Int) -> Int64? {
        var value: Int64 = 0
        var digits = 0
        while index < line.endIndex, digits < maxDigits, line[index] >= UInt8(ascii: "0"), line[index] <= UInt8(ascii: "9") {
            value = value * 10 + Int64(line[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits == 0 ? nil : value
    }

    private func expect(_ line: ArraySlice<UInt8>, _ index: inout Int, _ character: Unicode.Scalar) -> Bool {
        guard index < line.endIndex, line[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }
}
