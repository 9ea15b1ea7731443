public import MailModel
public import MailSpool

/// The lines the mirror puts on top of a copy: its tag, then an RFC 5321 §4.4 `Received:`
/// trace line. These, and renaming an incoming tag (`HeaderFields.neutralizing`), are the
/// only changes the mirror makes to a copy's bytes.
///
/// The tag comes first and the `Received:` line last: a message whose first line begins with
/// white space continues the field above it, and that must never be the tag (its value is
/// what purge checks). It continues our `Received:` line instead, exactly as it continues the
/// `Received:` line the old server put on the original.
public struct MirrorTrace: Sendable {
    public let tag: MirrorTag
    /// Our name in the `by` clause (the listener's hostname).
    public let hostname: String

    public init(tag: MirrorTag, hostname: String) {
        self.tag = tag
        self.hostname = hostname
    }

    /// The header lines for the copy `id`, received from `client` (its IP address) at
    /// `unixTime` for `recipients` (named in a `for` clause only when there is one, as
    /// Postfix does: a list would disclose the other recipients).
    public func lines(id: QueueID, client: String?, recipients: [ForwardPath], unixTime: Double) -> String {
        let from = client.map { Self.addressLiteral($0) } ?? "unknown"
        var received = "Received: from \(from)\r\n\tby \(hostname) (mailferry mirror) id \(id.rawValue)"
        if recipients.count == 1, let only = recipients.first { received += "\r\n\tfor \(only)" }
        received += "; \(Self.date(unixTime))\r\n"
        return tag.headerLine(for: id) + received
    }

    /// `[192.0.2.1]` or `[IPv6:2001:db8::1]` (RFC 5321 §4.1.3).
    static func addressLiteral(_ address: String) -> String {
        address.contains(":") ? "[IPv6:\(address)]" : "[\(address)]"
    }

    /// RFC 5322 §3.3 date-time in UTC, e.g. `Sun, 06 Dec 2026 11:04:13 +0000`.
    static func date(_ unixTime: Double) -> String {
        let seconds = Int(unixTime.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(names[weekday]), \(two(day)) \(months[month - 1]) \(year) \(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60)) +0000"
    }
}
