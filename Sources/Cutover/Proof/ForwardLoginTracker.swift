/// The drain's view of the new server's log: logins that came through the forwarder on the
/// old host, that is, from clients that still reach the old address. Dovecot logs the address
/// a client connected to as `lip=`; on a PROXY listener that is the old host's address from
/// the header, so a login whose `lip=` is one of `forwardedAddresses` came through the
/// forwarder. A message submitted on a Postfix service whose `syslog_name` ends in
/// `-forwarded` (docs/admin/forward.md) is a submission login through it.
///
/// Logins, not connections: scanners knock on every public IMAP port all day, and counting
/// them would keep the old host alive for ever; a client that logs in is one a user runs. A
/// login line without `lip=` cannot be placed and counts (the admin's
/// `login_log_format_elements` must keep `lip=%l`), and so does a gap in the log: what fell
/// into it is unknown.
public struct ForwardLoginTracker: Sendable {
    /// One login: when, which service, which user (nil when the line names none), from where.
    public struct Login: Hashable, Sendable, CustomStringConvertible {
        public var time: LogInstant
        public var service: String
        public var user: String?
        public var remote: String

        public init(time: LogInstant, service: String, user: String?, remote: String) {
            self.time = time
            self.service = service
            self.user = user
            self.remote = remote
        }

        public var description: String { "\(user ?? "a client") (\(service) from \(remote)) at \(time)" }
    }

    public let forwardedAddresses: Set<String>
    public let since: LogInstant
    /// The latest login through the forwarder at or after `since`.
    public private(set) var last: Login?
    /// Logins through the forwarder counted since `since`.
    public private(set) var count = 0
    /// The latest login of each user (or client address, for lines without a user), so the
    /// admin can tell whose client still names the old host. Bounded by `maxUsers`.
    private var latest: [String: Login] = [:]
    static let maxUsers = 10_000

    public init(forwardedAddresses: some Sequence<String>, since: LogInstant) {
        self.forwardedAddresses = Set(forwardedAddresses.map(Self.normalized))
        self.since = since
    }

    public mutating func take(_ records: some Sequence<MailLogRecord>) {
        for record in records where record.time >= since {
            switch record.event {
            case .login(let service, let user, let remote, let local):
                if let local, !forwardedAddresses.contains(Self.normalized(local)) { continue }
                note(Login(time: record.time, service: local == nil ? "\(service), no lip= in the line" : service, user: user, remote: remote))
            case .client(_, let client) where record.daemon == "smtpd" && Self.isForwardedService(record.program):
                note(Login(time: record.time, service: "submission", user: nil, remote: client))
            default:
                continue
            }
        }
    }

    /// A stretch of the log that cannot be trusted counts as a login at its time, or at `now`
    /// when it has none (a log missing before any line was read).
    public mutating func take(gaps: some Sequence<LogGap>, now: LogInstant) {
        for gap in gaps {
            let time = gap.time ?? now
            guard time >= since else { continue }
            note(Login(time: time, service: "a gap in the log", user: nil, remote: gap.reason))
        }
    }

    /// The latest login of each user seen, newest first.
    public var users: [Login] { latest.values.sorted { ($0.time, $0.user ?? $0.remote) > ($1.time, $1.user ?? $1.remote) } }

    private mutating func note(_ login: Login) {
        count += 1
        if last.map({ $0.time <= login.time }) ?? true { last = login }
        let key = login.user ?? login.remote
        if latest[key] != nil || latest.count < Self.maxUsers, latest[key].map({ $0.time <= login.time }) ?? true { latest[key] = login }
    }

    /// `postfix/submission-forwarded/smtpd`: a service named `...-forwarded`.
    static func isForwardedService(_ program: String) -> Bool {
        program.split(separator: "/").dropLast().contains { $0.hasSuffix("-forwarded") }
    }

    /// Lower case, and an IPv4-mapped IPv6 address as IPv4 (the forwarder sends IPv4 headers
    /// for IPv4 clients, but a dual-stack Dovecot may still print the mapped form).
    static func normalized(_ address: String) -> String {
        let lower = address.lowercased()
        return lower.hasPrefix("::ffff:") && lower.contains(".") ? String(lower.dropFirst("::ffff:".count)) : lower
    }
}
