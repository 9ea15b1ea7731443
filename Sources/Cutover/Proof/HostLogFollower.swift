/// Follows a mail log on a ``Host`` for days (the drain): the first read takes the rotated
/// file (`PATH.1`, if any) and the current one, each later read only what was appended,
/// across rotations (``HostLogReader``). What it hands over is forgotten, so memory stays
/// that of one read. After a restart of mailferry a new follower reads the log again from
/// the start, which gives its callers the same answer.
public struct HostLogFollower: Sendable {
    public let path: String
    let reader: HostLogReader
    let name: String
    let utcOffsetSeconds: Int64
    let keepsLogins: Bool
    private var cursor: LogCursor?
    private var scanner: MailLogScanner?

    /// `name` labels gaps; `keepsLogins` hands over Dovecot's `Login:` lines too.
    public init(host: any Host, path: String, name: String, utcOffsetSeconds: Int64, keepsLogins: Bool = false) {
        reader = HostLogReader(host: host)
        self.path = path
        self.name = name
        self.utcOffsetSeconds = utcOffsetSeconds
        self.keepsLogins = keepsLogins
    }

    /// The records and gaps appended since the last read. `now` (microseconds since 1970)
    /// anchors the year of syslog's year-less times on the first read.
    public mutating func readNew(now: LogInstant) async throws -> (records: [MailLogRecord], gaps: [LogGap]) {
        var scanner = self.scanner ?? MailLogScanner(name: name, clock: LogClock(anchor: now, utcOffsetSeconds: utcOffsetSeconds))
        scanner.keepsLogins = keepsLogins
        var cursor = self.cursor ?? LogCursor(path: path)
        if self.cursor == nil {
            _ = try await reader.read(LogCursor(path: path + ".1"), into: &scanner, missingIsGap: false)
        }
        cursor = try await reader.read(cursor, into: &scanner)
        let new = scanner.takeNew()
        self.scanner = scanner
        self.cursor = cursor
        return new
    }
}
