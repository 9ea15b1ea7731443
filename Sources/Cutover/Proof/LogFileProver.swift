import Foundation

/// The proof of a window from log files on this machine (`cutover prove`): the same
/// ``CutoverProof`` that ``CutoverLogProver`` builds from the hosts' logs for the
/// orchestrator, but each log is given as its files, oldest first (a rotated log as several),
/// so nothing is guessed about rotations, and there is no timeline of phases.
public struct LogFileProver: Sendable {
    /// The old server's Postfix log, its files oldest first.
    public var oldLog: [String]
    /// The new server's Postfix log; empty when not given.
    public var newLog: [String]
    /// The new server's Dovecot log; empty when not given.
    public var dovecotLog: [String]
    public var settings: ProofSettings
    /// How far a log's time may go back between lines before it counts as a gap.
    public var maxBackwardJumpSeconds: Int64

    public init(oldLog: [String], newLog: [String] = [], dovecotLog: [String] = [], settings: ProofSettings = ProofSettings(),
                maxBackwardJumpSeconds: Int64 = 10) {
        self.oldLog = oldLog
        self.newLog = newLog
        self.dovecotLog = dovecotLog
        self.settings = settings
        self.maxBackwardJumpSeconds = maxBackwardJumpSeconds
    }

    /// A log file could not be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        /// Why, when the file opened but a read failed.
        public var reason: String?

        public var description: String { "cannot read \(path)" + (reason.map { ": \($0)" } ?? "") }
    }

    /// Reads the logs (blocking) and builds the proof of `since`…`until`.
    public func prove(since: LogInstant, until: LogInstant, oldStore: OldStoreEvidence) throws(ReadError) -> CutoverProofReport {
        let clock = settings.clock(since: since)
        let oldScan = try scan("old postfix", oldLog, clock)
        let newScan = newLog.isEmpty ? nil : try scan("new postfix", newLog, clock)
        let dovecotScan = dovecotLog.isEmpty ? nil : try scan("dovecot", dovecotLog, clock)
        return settings.proof(old: oldScan, new: newScan, dovecot: dovecotScan, since: since, until: until, oldStore: oldStore)
    }

    /// Reads the files in order through one scanner, a megabyte at a time.
    func scan(_ name: String, _ paths: [String], _ clock: LogClock) throws(ReadError) -> MailLogScan {
        var scanner = MailLogScanner(name: name, clock: clock, maxBackwardJumpSeconds: maxBackwardJumpSeconds)
        for path in paths {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw ReadError(path: path) }
            defer { try? handle.close() }
            do {
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { scanner.feed(chunk) }
            } catch {
                throw ReadError(path: path, reason: error.localizedDescription)
            }
        }
        return scanner.finish()
    }
}
