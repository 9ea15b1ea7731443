import Foundation

/// The *prove* phase in one call, for the orchestrator: reads the three logs on their hosts
/// (the rotated `PATH.1` first when it exists, then `PATH`), builds the proof of the window,
/// and writes `proof.json` and `proof.html` into a local directory. A log whose first line
/// read comes after the window began misses its start (an older rotation not read): a gap.
public struct CutoverLogProver: Sendable {
    /// A log file on a host.
    public struct Source: Sendable {
        public var host: any Host
        public var path: String

        public init(host: any Host, path: String) {
            self.host = host
            self.path = path
        }
    }

    public var oldLog: Source
    public var newLog: Source?
    public var dovecotLog: Source?
    public var settings: ProofSettings

    public init(oldLog: Source, newLog: Source?, dovecotLog: Source?, settings: ProofSettings = ProofSettings()) {
        self.oldLog = oldLog
        self.newLog = newLog
        self.dovecotLog = dovecotLog
        self.settings = settings
    }

    /// Builds the proof and writes both renderings to `directory` (created if missing).
    public func prove(since: LogInstant, until: LogInstant, timeline: [ProofPhase], oldStore: OldStoreEvidence,
                      directory: String) async throws -> CutoverProofReport {
        let clock = settings.clock(since: since)
        let oldScan = try await scan("old postfix", oldLog, clock, since)
        var newScan: MailLogScan?
        if let newLog { newScan = try await scan("new postfix", newLog, clock, since) }
        var dovecotScan: MailLogScan?
        if let dovecotLog { dovecotScan = try await scan("dovecot", dovecotLog, clock, since) }
        let report = settings.proof(old: oldScan, new: newScan, dovecot: dovecotScan, since: since, until: until, oldStore: oldStore,
                                    timeline: timeline)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try CutoverProofJSONRenderer().render(report).write(to: URL(fileURLWithPath: "\(directory)/proof.json"), options: .atomic)
            try Data(CutoverProofHTMLRenderer().render(report).utf8).write(to: URL(fileURLWithPath: "\(directory)/proof.html"), options: .atomic)
        } catch {
            throw CutoverError.file(host: "local", path: directory, reason: "cannot write the proof: \(error)")
        }
        return report
    }

    /// One line for a journal: the verdict and the counts that matter.
    public static func summary(_ report: CutoverProofReport) -> String {
        let c = report.counts
        var text = "proof \(report.verdict.rawValue): \(c.accepted) messages, \(c.recipients) recipients, \(c.deliveredNew) delivered new, "
            + "\(c.deliveredOld) old, \(c.queued) queued, \(c.lost) lost, \(c.duplicated) duplicated, \(c.refused) refused"
        if let reason = report.reasons.first { text += "; \(reason)" }
        return text
    }

    private func scan(_ name: String, _ source: Source, _ clock: LogClock, _ since: LogInstant) async throws -> MailLogScan {
        let reader = HostLogReader(host: source.host)
        var scanner = MailLogScanner(name: name, clock: clock)
        _ = try await reader.read(LogCursor(path: source.path + ".1"), into: &scanner, missingIsGap: false)
        _ = try await reader.read(LogCursor(path: source.path), into: &scanner)
        var scan = scanner.finish()
        if let first = scan.first, first > since {
            scan.gaps.insert(LogGap(log: name, line: 1, time: first, reason:
                "\(source.host.name):\(source.path) begins at \(first), after the window began (\(since)): the older rotated log is not read"), at: 0)
        }
        return scan
    }
}
