import Cutover
import Foundation
import MailferryConfig

/// The *prove* phase from the mail logs: ``CutoverLogProver`` over the old Postfix's log (read
/// through the cutover's old host, local or SSH) and the new Postfix's and Dovecot's logs on
/// this host, for the window from the journal's first phase to now. Mail the old Postfix
/// delivered into the old store counts as moved when the final delta began after it and the
/// verify that followed passed for that account.
public struct LogCutoverProver: CutoverProver {
    public var prover: CutoverLogProver
    public var journal: any CutoverJournal
    /// The addresses of the accounts the cutover moves: every account's user at every domain
    /// (local(8) on the old host delivers `user@domain` into that user's Maildir).
    public var addresses: [String]

    public init(prover: CutoverLogProver, journal: any CutoverJournal, addresses: [String]) {
        self.prover = prover
        self.journal = journal
        self.addresses = addresses
    }

    /// The prover of `config`, or nil when it names no old mail log (the proof is then the
    /// per-account verify alone, as the plan and the status say).
    public init?(config: CutoverConfig, hosts: CutoverHosts, journal: any CutoverJournal, users: [String]) {
        guard let oldLog = config.old.mailLog else { return nil }
        var relays = [config.new.relayHost]
        if let port = config.new.relayPort { relays.insert("\(config.new.relayHost):\(port)", at: 0) }
        prover = CutoverLogProver(
            oldLog: .init(host: hosts.old, path: oldLog),
            newLog: config.new.mailLog.map { .init(host: hosts.new, path: $0) },
            dovecotLog: config.new.dovecotLog.map { .init(host: hosts.new, path: $0) },
            settings: ProofSettings(newServerRelays: relays, mirrorCopySuffix: config.shadowSuffix,
                                    utcOffsetSeconds: Int64(TimeZone.current.secondsFromGMT())))
        self.journal = journal
        addresses = users.flatMap { user in config.domains.map { "\(user)@\($0)".lowercased() } }
    }

    /// The window is widened to whole seconds: syslog and `maillog_file` times have none
    /// below, so a message accepted in the cutover's first second is logged before its start.
    public func prove(window: ClosedRange<Double>, timeline: [(phase: CutoverPhase, at: Double)], directory: String) async throws
        -> (verdict: CutoverProofVerdict, summary: String) {
        let records = try await journal.records()
        let report = try await prover.prove(
            since: Self.instant(window.lowerBound.rounded(.down)), until: Self.instant(window.upperBound.rounded(.up)),
            timeline: Self.phases(timeline, until: window.upperBound), oldStore: Self.oldStore(records, addresses: addresses),
            directory: directory)
        let summary = CutoverLogProver.summary(report) + "; \(directory)/proof.html"
        switch report.verdict {
        case .proven: return (.proven, summary)
        case .pending: return (.pending, summary)
        case .failed: return (.failed, summary)
        }
    }

    /// What the final delta and its verify showed: when the last final delta began, and,
    /// when the verify after it passed, every moved address as verified. The machine only
    /// reaches *prove* after a passed verify; the check keeps this true on its own.
    static func oldStore(_ records: [CutoverRecord], addresses: [String]) -> OldStoreEvidence {
        var finalSyncStart: Double?
        var verified = false
        for record in records {
            switch (record.step, record.event) {
            case (.finalSync?, .started):
                finalSyncStart = record.at
                verified = false
            case (.verify?, .finished): verified = finalSyncStart != nil
            case (.verify?, .failed): verified = false
            default: break
            }
        }
        return OldStoreEvidence(finalSyncStartedAt: finalSyncStart.map(instant),
                                verifiedAddresses: verified ? Dictionary(addresses.map { ($0, true) }, uniquingKeysWith: { $0 && $1 }) : [:])
    }

    /// Each phase ends where the next begins; the last one at `until`.
    static func phases(_ timeline: [(phase: CutoverPhase, at: Double)], until: Double) -> [ProofPhase] {
        timeline.enumerated().map { index, entry in
            ProofPhase(name: entry.phase.rawValue, start: instant(entry.at),
                       end: instant(index + 1 < timeline.count ? timeline[index + 1].at : until))
        }
    }

    static func instant(_ seconds: Double) -> LogInstant { LogInstant(microseconds: Int64((seconds * 1_000_000).rounded())) }
}
