import Cutover
import Foundation

/// Follows the old Postfix's mail log through the drain, incrementally: the first check
/// reads the rotated file and the current one, each later check only what was appended (the
/// cursor follows a rotation), through the proof's parser into an ``InboundTracker``. After
/// a restart of mailferry the log is read again from the start, which gives the same answer.
public actor InboundWatch {
    let reader: HostLogReader
    let path: String
    let domains: [String]
    let ignoredAddresses: [String]
    let utcOffsetSeconds: Int64
    private var cursor: LogCursor?
    private var scanner: MailLogScanner?
    private var tracker: InboundTracker?

    public init(host: any Cutover.Host, path: String, domains: [String], ignoredAddresses: [String] = [], utcOffsetSeconds: Int64) {
        reader = HostLogReader(host: host)
        self.path = path
        self.domains = domains
        self.ignoredAddresses = ignoredAddresses
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// The last inbound for the domains at or after `since` (wall-clock seconds), read up to
    /// the log's end now.
    public func lastInbound(since: Double, now: Double) async throws -> InboundTracker.Inbound? {
        let start = LogInstant(microseconds: Int64((since.rounded(.down)) * 1_000_000))
        var scanner = self.scanner ?? MailLogScanner(
            name: "old postfix", clock: LogClock(anchor: LogInstant(microseconds: Int64(now * 1_000_000)), utcOffsetSeconds: utcOffsetSeconds))
        var tracker = self.tracker ?? InboundTracker(domains: domains, since: start, ignoredAddresses: ignoredAddresses)
        if tracker.since != start {
            tracker = InboundTracker(domains: domains, since: start, ignoredAddresses: ignoredAddresses)
        }
        var cursor = self.cursor ?? LogCursor(path: path)
        if self.cursor == nil {
            _ = try await reader.read(LogCursor(path: path + ".1"), into: &scanner, missingIsGap: false)
        }
        cursor = try await reader.read(cursor, into: &scanner)
        let new = scanner.takeNew()
        tracker.take(new.records)
        tracker.take(gaps: new.gaps)
        self.scanner = scanner
        self.tracker = tracker
        self.cursor = cursor
        return tracker.last
    }
}
