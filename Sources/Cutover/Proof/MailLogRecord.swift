/// One parsed log line: where it came from, when, and what it says.
public struct MailLogRecord: Hashable, Sendable {
    /// 1-based line number in the scanned stream.
    public var line: Int
    public var time: LogInstant
    /// The syslog host field (nil in Dovecot's own `log_path` file, which has none).
    public var host: String?
    /// The syslog tag without the pid: `postfix/smtpd`, `postfix-out/smtp`, `dovecot`, `lmtp(user)`.
    public var program: String
    public var pid: Int?
    public var event: MailLogEvent

    public init(line: Int, time: LogInstant, host: String?, program: String, pid: Int?, event: MailLogEvent) {
        self.line = line
        self.time = time
        self.host = host
        self.program = program
        self.pid = pid
        self.event = event
    }

    /// The daemon: the tag's last path component (`smtpd` of `postfix/submission/smtpd`).
    public var daemon: Substring { program.split(separator: "/").last ?? Substring(program) }
}
