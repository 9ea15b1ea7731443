import ArgumentParser
import Cutover
import Foundation
import Migration

/// `mailferry cutover prove`: the message-by-message proof of a cutover window, from log
/// files on this machine (the orchestrator builds the same proof from the hosts' logs).
struct CutoverProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Prove from the mail logs where every message the old server accepted in a window ended.",
        discussion: """
            Reads the old server's Postfix log, the new server's Postfix log and Dovecot's log, \
            and follows every message the old Postfix accepted between --since and --until, \
            recipient by recipient: relayed to the new server (its `250 ... queued as ID` reply, \
            that message in the new log at that time, its LMTP `Saved` reply, and Dovecot's \
            `saved mail to FOLDER` for that LMTP session), delivered into the old store (only \
            proven for addresses given with --verified, and before --final-sync-started), \
            relayed off-site, handed to a program, filtered, bounced, still queued, or \
            UNACCOUNTED. Mirror copies (…mirror.invalid) are listed apart. Queue ids are never \
            taken alone: each is matched by host and time, so reused ids do not mix messages.

            A log with a gap fails the proof whatever it holds: a journald "Suppressed N \
            messages" or rsyslog rate-limit line, or time running backwards (more than \
            --max-backward-jump seconds). Malformed lines are counted and shown, not fatal.

            Logs may be syslog files (`Dec  6 10:57:55 host postfix/smtpd[1]: ...`), Postfix's \
            maillog_file, Dovecot's log_path, or RFC 3339 (`2026-12-06T10:57:55+01:00 ...`). \
            Times without a zone are read in --utc-offset (default: this machine's zone). \
            A rotated log is given as several files, oldest first: --old-log F.1 --old-log F.

            Exits 0 when proven, 2 when nothing is lost but mail is still queued (run it again \
            later), 1 when anything is unaccounted or duplicated or a log has a gap, 64 for bad \
            flags, 74 when a file cannot be read or written.

            Example:
              mailferry cutover prove --old-log old/mail.log --new-log new/mail.log \\
                  --dovecot-log new/dovecot.log --since 2026-12-06T09:00:00Z \\
                  --until 2026-12-06T18:00:00Z --new-server mx2.example.com \\
                  --verified alice@example.com --html proof.html

            \(ExitStatus.helpTable)
            """
    )

    @Option(name: .customLong("old-log"), help: ArgumentHelp("The old server's Postfix log (repeat for rotated files, oldest first).", valueName: "file"))
    var oldLogs: [String] = []

    @Option(name: .customLong("new-log"), help: ArgumentHelp("The new server's Postfix log (repeatable, oldest first).", valueName: "file"))
    var newLogs: [String] = []

    @Option(name: .customLong("dovecot-log"), help: ArgumentHelp("The new server's Dovecot log (repeatable, oldest first).", valueName: "file"))
    var dovecotLogs: [String] = []

    @Option(help: ArgumentHelp("Start of the window, RFC 3339 (2026-12-06T09:00:00Z).", valueName: "time"))
    var since: String

    @Option(help: ArgumentHelp("End of the window, RFC 3339.", valueName: "time"))
    var until: String

    @Option(name: .customLong("new-server"), help: ArgumentHelp(
        "How the new server appears in the old log's relay= field: name, address, either with :port (repeatable). Without it, a relay is the new server when the id it answered with is in the new log.",
        valueName: "host"))
    var newServers: [String] = []

    @Option(name: .customLong("old-client"), help: ArgumentHelp(
        "How the old server appears in the new log's client= field (repeatable): finds messages it sent twice.", valueName: "host"))
    var oldClients: [String] = []

    @Option(name: .customLong("old-host"), help: ArgumentHelp(
        "When --old-log is a central log holding several hosts: the old server's syslog host name (repeatable). Only its messages are proven.",
        valueName: "name"))
    var oldHosts: [String] = []

    @Option(name: .customLong("verified"), help: ArgumentHelp(
        "An address whose account `mailferry verify` found complete after the final sync (repeatable): its old-store deliveries count as moved.",
        valueName: "address"))
    var verified: [String] = []

    @Option(name: .customLong("final-sync-started"), help: ArgumentHelp(
        "When the final sync began reading the old store (RFC 3339): later old-store deliveries are unaccounted.", valueName: "time"))
    var finalSyncStarted: String?

    @Option(name: .customLong("mirror-suffix"), help: ArgumentHelp("The mirror copies' domain suffix.", valueName: "suffix"))
    var mirrorSuffix = "mirror.invalid"

    @Option(name: .customLong("utc-offset"), help: ArgumentHelp(
        "The logs' zone for times without one, as +HH:MM or -HH:MM (default: this machine's).", valueName: "offset"))
    var utcOffset: String?

    @Option(name: .customLong("max-backward-jump"), help: ArgumentHelp(
        "Seconds a log's time may go back between lines before it counts as a gap.", valueName: "seconds"))
    var maxBackwardJump: Int64 = 10

    @Option(name: .customLong("tolerance"), help: ArgumentHelp(
        "Seconds the two hosts' lines of one hop may be apart (clock skew plus transfer time).", valueName: "seconds"))
    var tolerance: Int64 = 300

    @Option(help: ArgumentHelp("Write the report as JSON to this file ('-' for standard output).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML report to this file.", valueName: "file"))
    var html: String?

    func validate() throws {
        guard !oldLogs.isEmpty else { throw ValidationError("--old-log is required") }
        guard LogInstant(iso: since) != nil else { throw ValidationError("--since: not an RFC 3339 time: \(since)") }
        guard LogInstant(iso: until) != nil else { throw ValidationError("--until: not an RFC 3339 time: \(until)") }
        if let finalSyncStarted, LogInstant(iso: finalSyncStarted) == nil {
            throw ValidationError("--final-sync-started: not an RFC 3339 time: \(finalSyncStarted)")
        }
        if let utcOffset, Self.offsetSeconds(utcOffset) == nil { throw ValidationError("--utc-offset: expected +HH:MM or -HH:MM, got \(utcOffset)") }
        guard tolerance >= 0, maxBackwardJump >= 0 else { throw ValidationError("--tolerance and --max-backward-jump must not be negative") }
    }

    func run() async throws {
        let settings = ProofSettings(
            newServerRelays: newServers, oldServerClients: oldClients, oldLogHosts: Set(oldHosts), mirrorCopySuffix: mirrorSuffix,
            utcOffsetSeconds: utcOffset.flatMap(Self.offsetSeconds) ?? Int64(TimeZone.current.secondsFromGMT()), hostToleranceSeconds: tolerance)
        let prover = LogFileProver(oldLog: oldLogs, newLog: newLogs, dovecotLog: dovecotLogs, settings: settings,
                                   maxBackwardJumpSeconds: maxBackwardJump)
        let report: CutoverProofReport
        do throws(LogFileProver.ReadError) {
            report = try prover.prove(
                since: LogInstant(iso: since)!, until: LogInstant(iso: until)!,
                oldStore: OldStoreEvidence(finalSyncStartedAt: finalSyncStarted.flatMap { LogInstant(iso: $0) },
                                           verifiedAddresses: Dictionary(verified.map { ($0, true) }, uniquingKeysWith: { $0 && $1 })))
        } catch {
            throw commandFailure(error.description, status: .ioError)
        }

        if let json {
            let data = try CutoverProofJSONRenderer().render(report)
            if json == "-" { print(String(decoding: data, as: UTF8.self)) } else { try save(data, to: json) }
        }
        if let html { try save(Data(CutoverProofHTMLRenderer().render(report).utf8), to: html) }
        if json != "-" { printSummary(report) }
        switch report.verdict {
        case .proven: return
        case .pending: throw ExitStatus.differences.exitCode
        case .failed: throw ExitStatus.partial.exitCode
        }
    }

    private func printSummary(_ report: CutoverProofReport) {
        let c = report.counts
        print("Cutover proof from \(report.since) to \(report.until): \(report.verdict.rawValue.uppercased())")
        print("  accepted \(c.accepted) messages, \(c.recipients) recipients: delivered new \(c.deliveredNew), delivered old \(c.deliveredOld), "
              + "relayed off-site \(c.relayedOffSite), program \(c.localProgram), filtered \(c.filtered), bounced \(c.bounced), "
              + "queued \(c.queued), LOST \(c.lost), duplicated \(c.duplicated); refused attempts \(c.refused); mirror copies \(c.mirrorCopies)")
        for log in report.logs where log.malformed > 0 { print("  \(log.name): \(log.malformed) malformed line(s) of \(log.lines)") }
        for reason in report.reasons { print("  - \(reason)") }
        for note in report.notes { print("  note: \(note)") }
        let attention = report.entries.filter { $0.outcome.kind == .unaccounted || $0.outcome.kind == .queued }
        for entry in attention.prefix(50) {
            print("  \(entry.outcome.kind.rawValue): \(entry.queueID) \(entry.acceptedAt) → \(entry.recipient): \(entry.outcome.detail)")
        }
        if attention.count > 50 { print("  … and \(attention.count - 50) more (see --html or --json)") }
        if let html { print("HTML report: \(html)") }
        if let json, json != "-" { print("JSON report: \(json)") }
    }

    private func save(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw commandFailure("cannot write \(path): \(error.localizedDescription)", status: .ioError)
        }
    }

    static func offsetSeconds(_ text: String) -> Int64? {
        guard let instant = LogInstant(iso: "1970-01-01T00:00:00\(text)") else { return nil }
        return -instant.microseconds / 1_000_000
    }
}
