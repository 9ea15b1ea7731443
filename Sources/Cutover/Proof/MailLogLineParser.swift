import Foundation

/// Parses one line of a Postfix or Dovecot log (syslog, Postfix's `maillog_file`, Dovecot's
/// `log_path`) into a ``MailLogRecord``. Sans-IO and total: any bytes give a record or nil
/// (malformed), never a trap; invalid UTF-8 is replaced, not rejected, because a sender's
/// 8-bit address must not make the proof lose the line.
public struct MailLogLineParser: Sendable {
    public var clock: LogClock

    public init(clock: LogClock) { self.clock = clock }

    /// Postfix daemons whose lines the proof reads; a tag whose last component is one of
    /// these is Postfix whatever its `syslog_name` (`mta/smtpd`, `postfix-out/qmgr`).
    static let postfixDaemons: Set<Substring> = [
        "smtpd", "postscreen", "cleanup", "qmgr", "oqmgr", "pickup", "smtp", "lmtp", "local", "virtual",
        "pipe", "discard", "error", "retry", "bounce", "defer", "trace", "postsuper", "qmqpd", "sendmail", "postdrop",
    ]

    public func parse(_ bytes: ArraySlice<UInt8>, line: Int) -> MailLogRecord? {
        guard let (time, end) = clock.timestamp(in: bytes) else { return nil }
        let text = String(decoding: bytes[(end + 1)...], as: UTF8.self)
        var rest = Substring(text)
        guard let firstSpace = rest.firstIndex(of: " ") else { return nil }
        var host: String?
        var tag = rest[..<firstSpace]
        if tag.last != ":" {
            host = String(tag)
            rest = rest[rest.index(after: firstSpace)...]
            guard let space = rest.firstIndex(of: " ") else { return nil }
            tag = rest[..<space]
            guard tag.last == ":" else { return nil }
        }
        let message = rest[rest.index(after: tag.endIndex)...]
        tag = tag.dropLast()
        var program = tag
        var pid: Int?
        if tag.last == "]", let open = tag.lastIndex(of: "[") {
            pid = Int(tag[tag.index(after: open)..<tag.index(before: tag.endIndex)])
            program = tag[..<open]
        }
        let record = { (event: MailLogEvent) in
            MailLogRecord(line: line, time: time, host: host, program: String(program), pid: pid, event: event)
        }
        if let suppressed = Self.suppression(program: program, message: message) { return record(suppressed) }
        if program == "dovecot" {
            // `lmtp(user)<pid><session>: ` (2.3) or `lmtp(pid, user): ` (2.2): up to the first ": ".
            guard let colon = message.range(of: ": ") else { return record(.other) }
            return Self.dovecot(prefix: message[..<colon.lowerBound], body: message[colon.upperBound...]).map(record)
        }
        if program.contains("(") { return Self.dovecot(prefix: program, body: message).map(record) }
        // Dovecot's own `log_path` file: `imap-login: Info: Login: ...`, no `dovecot:` tag.
        if program.hasSuffix("-login") { return record(Self.dovecotLogin(service: program, body: message) ?? .other) }
        let daemon = program.split(separator: "/").last ?? program
        // master.cf services log under their own name (`postfix/relay`, Debian's
        // `-o syslog_name=postfix/$service_name`): a `postfix…/` tag is Postfix whatever follows.
        if program.contains("/"), Self.postfixDaemons.contains(daemon) || program.hasPrefix("postfix") {
            return Self.postfix(daemon: daemon, message: message).map(record)
        }
        return record(.other)
    }

    /// Lines in which the logging system itself says it dropped lines.
    static func suppression(program: Substring, message: Substring) -> MailLogEvent? {
        let journald = program == "systemd-journald" && message.contains("Suppressed ") && message.contains(" messages")
        let rateLimit = message.contains("due to rate-limiting") || message.contains("begins to drop messages")
        let lost = program.hasPrefix("rsyslogd") && message.contains(" lost ") && message.contains("messages")
        return journald || rateLimit || lost ? .suppressed(text: String(message.prefix(500))) : nil
    }
}
