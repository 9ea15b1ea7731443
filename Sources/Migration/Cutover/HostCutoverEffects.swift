import Cutover
import Foundation
import MailferryConfig

/// The steps' effects on real hosts: Postfix through ``PostfixHost`` (hold, relay, restore,
/// each idempotent and backed up), the configured commands on the new host, the old IMAP/POP
/// daemons, and the mailboxes through ``CutoverMailboxes``.
public struct HostCutoverEffects: CutoverEffects {
    public var config: CutoverConfig
    public var hosts: CutoverHosts
    public var mailboxes: any CutoverMailboxes
    /// The journal, for the times the drain and the proof start from.
    public var journal: any CutoverJournal
    /// The *prove* phase's report maker; nil: the proof is the per-account verify only.
    public var prover: (any CutoverProver)?
    /// Where the report is written.
    public var reportDirectory: String
    public var now: @Sendable () -> Double
    /// How long the hold waits for deliveries in flight, the drain between its checks.
    public var quietTimeout: Duration = .seconds(120)
    public var drainInterval: Duration = .seconds(60)
    /// How long the purge waits for the mirror's spool to deliver what it holds.
    public var spoolDrainTimeout: Duration = .seconds(30)
    /// The clock of the waits between checks (the mirror's spool, the old IMAP/POP sessions,
    /// the relay test's logs) and of their bounds: the machine's, a test clock in tests.
    public var clock: any Clock<Duration> = ContinuousClock()
    /// The drain's reader of the old mail log (nil without `old.mail_log`: inbound mail is
    /// then not watched, and the drain says so).
    public var inbound: InboundWatch?
    /// The reader of the new server's log for logins through the forwarder (nil without
    /// `[cutover.forward]` or with `forward.login_quiet = "0s"`).
    public var forwardLogins: ForwardLoginWatch?
    /// The DNS watch of `[plan]` (its old addresses and servers), wired by the front end; nil:
    /// DNS is not watched and the drain's TTL is `drain.ttl` (or the plan report's) alone.
    public var dns: (any DrainDNSWatch)?

    public init(config: CutoverConfig, hosts: CutoverHosts, mailboxes: any CutoverMailboxes, journal: any CutoverJournal,
                prover: (any CutoverProver)?, reportDirectory: String, now: @escaping @Sendable () -> Double) {
        self.config = config
        self.hosts = hosts
        self.mailboxes = mailboxes
        self.journal = journal
        self.prover = prover
        self.reportDirectory = reportDirectory
        self.now = now
        inbound = config.old.mailLog.map {
            InboundWatch(host: hosts.old, path: $0, domains: config.domains, ignoredAddresses: [config.new.relayHost],
                         utcOffsetSeconds: Int64(TimeZone.current.secondsFromGMT()))
        }
        forwardLogins = config.forward.flatMap { forward in
            forward.loginQuietDuration == .zero ? nil : ForwardLoginWatch(
                host: hosts.new, path: forward.loginLog ?? config.new.dovecotLog ?? config.new.mailLog ?? CutoverForwardConfig.defaultLoginLog,
                forwardedAddresses: forward.forwardedAddresses, utcOffsetSeconds: Int64(TimeZone.current.secondsFromGMT()))
        }
    }

    public func perform(_ step: CutoverStep, token: String?) async throws -> CutoverStepOutcome {
        switch step {
        case .closeNewLogins: return try await command(config.new.closeLoginsCommand)
        case .relayNewToOld, .rollbackRelayNewToOld: return try await command(config.new.relayToOldCommand)
        case .deliverLocallyOnNew: return try await command(config.new.deliverLocallyCommand)
        case .openLogins: return try await command(config.new.openLoginsCommand)
        case .checkMirror: return try await checkMirror()
        case .testRelay: return try await testRelay(token: token)
        case .presync, .finalSync:
            if step == .finalSync, config.old.mailRoot != nil {
                // The marker's time is the old host's own clock, which `find -newer` compares with.
                // One round trip inside the freeze: the directory exists only when a mirror or a
                // hold was set up on that host before.
                try await hosts.old.check(["/bin/sh", "-c", #"mkdir -p -m 0755 "$1" && touch "$2""#, "sh",
                                           hosts.oldPostfix.mailferryDirectory, finalDeltaMarker])
            }
            let pass = try await mailboxes.sync(step == .finalSync ? .final : .presync)
            guard pass.problems.isEmpty else {
                return .failed(reason: "sync problems: " + pass.problems.prefix(5).joined(separator: "; "))
            }
            // The final delta is the last copy before the switch: a message it left for later
            // would be in neither store the users read. Staying in the hold loses nothing.
            if step == .finalSync, pass.deferred > 0 {
                return .failed(reason: "final delta: \(pass.summary); nothing may be deferred after the hold: "
                    + "staying in the hold, `cutover run` again redoes the final delta")
            }
            return .done(CutoverResult(copied: pass.copied, detail: pass.summary))
        case .stopOldIMAP: return try await imapServices(start: false)
        case .rollbackStartOldIMAP: return try await imapServices(start: true)
        case .enterHold, .rollbackHoldOld:
            let plan = HoldPlan(domains: hosts.domains).plan(current: try await hosts.oldPostfix.explicitSettings(),
                                                             mailferryDirectory: hosts.oldPostfix.mailferryDirectory)
            let outcome = try await hosts.oldPostfix.apply(plan, now: now())
            return .done(CutoverResult(detail: "reload \(outcome.reloads.map(\.description).joined(separator: ", "))"))
        case .verifyHold:
            let failed = try await hosts.oldPostfix.verifyHold(hosts.domains).filter { !$0.passed }
            return failed.isEmpty ? .done(CutoverResult(detail: "hold in force"))
                : .failed(reason: failed.map(\.description).joined(separator: "; "))
        case .purgeMirrorCopies:
            if let spool = config.mirror?.spool, let left = try await clock.waitForSpoolToDrain(spool, timeout: spoolDrainTimeout) {
                return .failed(reason: left)
            }
            let purge = try await mailboxes.purgeMirrorCopies()
            var detail = "removed \(purge.removed) mirror copies"
            if !purge.left.isEmpty {
                detail += "; left \(purge.left.count) message(s) whose X-Mailferry-Mirror tag does not verify (not this mirror's copies): "
                    + purge.left.prefix(5).joined(separator: ", ")
            }
            return .done(CutoverResult(copied: purge.removed, detail: detail))
        case .quietStore:
            let check = try await hosts.oldPostfix.waitForQuietStore(hosts.domains, timeout: quietTimeout, clock: ContinuousClock())
            return .done(CutoverResult(detail: check.detail))
        case .verify:
            let result = try await mailboxes.verifyAndMark()
            guard result.passed else { return .failed(reason: "verify: \(result.detail)") }
            if let late = try await filesWrittenSinceTheFinalDelta(), !late.isEmpty {
                return .failed(reason: "alarm: \(late.count) message file(s) written to the old store after the final delta began, "
                    + "which the hold should have kept out (\(late.prefix(5).joined(separator: ", "))); staying in the hold: find what "
                    + "delivered them, then `cutover run` again (the final delta is redone)")
            }
            return .done(CutoverResult(detail: result.detail, marks: result.marks))
        case .relayOldToNew:
            guard let backup = try await hosts.oldPostfix.cutoverBackup() else {
                return .failed(reason: "no cutover backup on the old host: the hold was not applied there")
            }
            let plan = RelayPlan(domains: hosts.domains, host: config.new.relayHost, port: config.new.relayPort ?? 25).plan(backup: backup)
            let outcome = try await hosts.oldPostfix.apply(plan, now: now())
            return .done(CutoverResult(copied: outcome.released.count, detail: "released \(outcome.released.count) held messages"))
        case .rollbackRestoreOld:
            guard let backup = try await hosts.oldPostfix.cutoverBackup() else {
                // The hold never reached the old Postfix: nothing to put back.
                return .done(CutoverResult(detail: "no cutover backup: the old Postfix was not changed"))
            }
            let outcome = try await hosts.oldPostfix.apply(RestorePlan(domains: hosts.domains).plan(backup: backup), now: now())
            return .done(CutoverResult(copied: outcome.released.count, detail: "released \(outcome.released.count) held messages locally"))
        case .markNewMailboxes:
            // The verify's marks are as good as new ones: from the end of the final delta to
            // the new Postfix's local delivery (the next step) nothing writes the new
            // mailboxes (user logins stay closed, the new Postfix relays the domains to the
            // old host). A journal from before verify took them has none: read them now.
            let verified = CutoverState(records: try await journal.records()).finished.last { $0.step == .verify }?.result.marks
            var marks = verified ?? NewMailboxMarks()
            if verified == nil { marks = try await mailboxes.markNewMailboxes() }
            return .done(CutoverResult(detail: "marked \(marks.folderCount) folders of \(marks.accounts.count) accounts"
                + (verified == nil ? "" : " (read by the verify)"), marks: marks))
        case .rollbackCopyBack: return try await copyBack()
        case .startForward, .stopForward: return try await forwarder(start: step == .startForward)
        case .drainCheck: return try await drainCheck()
        case .prove: return try await prove()
        }
    }

    /// Mail the new side delivered after the marks goes back to the old store. The new
    /// Postfix relays to the old host again (the step before), but a delivery it had already
    /// begun may still be writing: the copy waits until none is in flight.
    private func copyBack() async throws -> CutoverStepOutcome {
        let state = CutoverState(records: try await journal.records())
        guard let marks = state.finished.first(where: { $0.step == .markNewMailboxes })?.result.marks else {
            return .failed(reason: "the journal has no marks of the new mailboxes from before the switch (mark-new-mailboxes), so "
                + "what arrived since cannot be told apart; both servers are safe as they are: the old one holds, the new one relays to it")
        }
        let quiet = try await hosts.newPostfix.waitForQuietStore(hosts.domains, deliveryPrograms: ["lmtp", "local", "virtual", "pipe"],
                                                                 timeout: quietTimeout, clock: ContinuousClock())
        let copied = try await mailboxes.copyBackSinceSwitch(marks: marks, to: hosts.old)
        return .done(CutoverResult(copied: copied, detail: "copied \(copied) messages back (\(quiet.detail) on the new host)"))
    }

    /// Only the test relay is not idempotent: an interrupted attempt counts as done when the
    /// logs show every one of its messages delivered (its leftovers are cleaned up either way).
    public func happened(_ step: CutoverStep, token: String) async throws -> Bool {
        step == .testRelay ? try await relayTestHappened(token: token) : false
    }

    /// Touched on the old host when the final delta begins.
    var finalDeltaMarker: String { "\(hosts.oldPostfix.mailferryDirectory)/cutover-final-delta.marker" }

    /// Message files under the old mail root (in a `new/` or `cur/` directory) modified after
    /// the final delta began: none may exist while the hold is in force. Nil without
    /// `old.mail_root`.
    func filesWrittenSinceTheFinalDelta() async throws -> [String]? {
        guard let root = config.old.mailRoot else { return nil }
        let output = try await hosts.old.check(
            ["/usr/bin/find", root, "-type", "f", "-newer", finalDeltaMarker, "(", "-path", "*/new/*", "-o", "-path", "*/cur/*", ")"],
            timeout: .seconds(600))
        return output.standardOutput.split(separator: "\n").map(String.init)
    }

    private func command(_ argv: [String]) async throws -> CutoverStepOutcome {
        let output = try await hosts.new.check(argv, timeout: .seconds(300))
        return .done(CutoverResult(detail: "`\(output.command)` \(output.firstLine)"))
    }

    /// Without a `[cutover.mirror]` table the mirror phase is not used (the presync rounds
    /// alone bring the stores close); with one, the old Postfix must bcc to it.
    private func checkMirror() async throws -> CutoverStepOutcome {
        guard config.mirror != nil else { return .done(CutoverResult(detail: "no [cutover.mirror]: the mirror phase is not used")) }
        let expected = "regexp:\(hosts.oldPostfix.mailferryDirectory)/recipient_bcc.regexp"
        let bcc = try await hosts.oldPostfix.value("recipient_bcc_maps")
        guard bcc == expected else {
            return .failed(reason: "the old Postfix does not bcc to the mirror (recipient_bcc_maps = \"\(bcc)\", expected \(expected)): "
                + "run `mailferry postfix mirror --apply` there first")
        }
        if let spool = config.mirror?.spool, !FileManager.default.fileExists(atPath: spool) {
            return .failed(reason: "the mirror's spool \(spool) does not exist: is `mailferry mirror` running?")
        }
        return .done(CutoverResult(detail: "bcc to the mirror in force"))
    }

    /// The old IMAP/POP daemons: systemd units (then every `imapd`/`pop3d` process must be
    /// gone) or the configured commands.
    private func imapServices(start: Bool) async throws -> CutoverStepOutcome {
        if let argv = start ? config.old.startImapCommand : config.old.stopImapCommand {
            // The command must end the daemons' sessions too (docs/admin/cutover.md): what it
            // stops is the admin's to know, so no process names are assumed here.
            let output = try await hosts.old.check(argv, timeout: .seconds(120))
            return .done(CutoverResult(detail: "`\(output.command)`"))
        }
        try await hosts.old.check(["systemctl", start ? "start" : "stop"] + config.imapUnits, timeout: .seconds(120))
        guard !start else { return .done(CutoverResult(detail: "started \(config.imapUnits.joined(separator: " "))")) }
        // systemctl stop returns once the listeners are gone; sessions already forked may
        // still run and must end before the final delta, or a client could still change mail
        // (a POP3 client's QUIT deletes what it marked).
        var left = ""
        try await clock.waitUntil("the old IMAP/POP sessions to end", timeout: .seconds(60), interval: .milliseconds(250)) {
            let output = try await hosts.old.run(HostCommand(["pgrep", "-a", "-x", Self.sessionProcesses]))
            left = output.standardOutput
            return output.status == 1
        }
        return .done(CutoverResult(detail: "stopped \(config.imapUnits.joined(separator: " ")); no IMAP/POP3 session left\(left)"))
    }

    /// The process names (pgrep -x, the kernel's 15-byte comm) of an IMAP or POP3 session on
    /// a Courier host: Debian's POP3 session is `courierpop3d` after `courierpop3login`
    /// (comm `courierpop3logi`), its IMAP session `imapd` after `imaplogin`; a login still
    /// running when the listener stopped becomes a session a moment later, so it counts too.
    public static let sessionProcesses = "imapd|pop3d|imapd-ssl|pop3d-ssl|courierpop3d|imaplogin|courierpop3logi"

    /// The decommission criteria: TTL + margin passed since the switch, no message for the
    /// domains left in the old queue, (with `old.mail_log`) none arrived from the network
    /// for `drain.quiet`, (with `[cutover.forward]`) no client logged in through the
    /// forwarder for `forward.login_quiet`, and (with a DNS watch) every name server and
    /// resolver answers the new server and the last old answer's TTL + margin has passed.
    /// The detail names the last inbound, the logins and the DNS, for `status`.
    private func drainCheck() async throws -> CutoverStepOutcome {
        let records = try await journal.records()
        let state = CutoverState(records: records)
        let switched = state.switchedAt ?? now()
        let ready = switched + seconds(config.ttl + config.margin)
        let queued = try await hosts.oldPostfix.queue().filter { $0.hasRecipient(in: Set(hosts.domains.domains)) }
        var waiting: [String] = []
        if now() < ready { waiting.append("TTL + margin ends in \(Int(ready - now())) s") }
        if !queued.isEmpty { waiting.append("\(queued.count) messages for the domains in the old queue") }
        let inboundText: String
        if let inbound {
            let last = try await inbound.lastInbound(since: switched, now: now())
            inboundText = last.map { "last inbound for the domains \($0)" } ?? "no inbound for the domains since the switch"
            let quietEnds = max(switched, last.map { Double($0.time.microseconds) / 1_000_000 } ?? switched) + seconds(config.quiet)
            if now() < quietEnds { waiting.append("\(inboundText); quiet for \(Int(seconds(config.quiet))) s ends in \(Int(quietEnds - now())) s") }
        } else {
            inboundText = "inbound mail not watched (no old.mail_log)"
        }
        let logins = try await forwardLoginCheck(records: records)
        if let left = logins?.waiting { waiting.append(left) }
        let dnsCheck = try await dnsDrainCheck(state: state)
        if let left = dnsCheck?.waiting { waiting.append(left) }
        guard waiting.isEmpty else { return .notYet(detail: waiting.joined(separator: "; "), retryAfter: drainInterval) }
        return .done(CutoverResult(detail: "old queue empty, TTL + margin passed; \(inboundText)" + (logins.map { "; \($0.detail)" } ?? "")
            + (dnsCheck.map { "; \($0.detail)" } ?? "")))
    }

    /// The forwarder on the old host: its systemd unit (then it must be active after the
    /// start) or the configured commands. Both directions are idempotent (`systemctl start`
    /// of a running unit, `stop` of a stopped one, succeed).
    private func forwarder(start: Bool) async throws -> CutoverStepOutcome {
        guard let forward = config.forward else {
            return .done(CutoverResult(detail: "no [cutover.forward]: no forwarder"))
        }
        // Time passes between the drain and the decommission (the proof may wait for mail
        // still queued): a client that came back meanwhile keeps the forwarder up. A
        // rollback stops it regardless: the old IMAP services need its ports.
        if !start {
            let records = try await journal.records()
            if !CutoverState(records: records).rollbackRequested, let left = try await forwardLoginCheck(records: records)?.waiting {
                return .notYet(detail: "the forwarder keeps running: \(left)", retryAfter: drainInterval)
            }
        }
        // A stop waits for open sessions up to the forwarder's grace (60 s by default) and
        // the unit's TimeoutStopSec (90 s).
        let output = try await hosts.old.check(forward.command(start: start), timeout: .seconds(start ? 120 : 180))
        guard start, let isActive = forward.isActiveCommand else { return .done(CutoverResult(detail: "`\(output.command)`")) }
        let state = try await hosts.old.run(HostCommand(isActive))
        guard state.status == 0 else {
            return .failed(reason: "the forwarder did not stay up after `\(output.command)` (`\(state.command)`: "
                + "\(state.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))): see `journalctl -u \(isActive.last!)` on the old host")
        }
        return .done(CutoverResult(detail: "`\(output.command)`; \(isActive.last!) active"))
    }

    /// The proof (the wired prover's, else the per-account verify), written with the
    /// timeline and the freeze window to `cutover-report.json`.
    private func prove() async throws -> CutoverStepOutcome {
        let records = try await journal.records()
        let state = CutoverState(records: records)
        let start = state.phaseStarts.first?.at ?? now()
        let verdict: CutoverProofVerdict
        let summary: String
        if let prover {
            (verdict, summary) = try await prover.prove(window: start...now(), timeline: state.phaseStarts, directory: reportDirectory)
        } else {
            let result = try await mailboxes.verify()
            (verdict, summary) = (result.passed ? .proven : .failed, "verify: \(result.detail)")
        }
        let path = try CutoverReport(records: records, passed: verdict == .proven, proof: summary).write(to: reportDirectory)
        switch verdict {
        case .proven: return .done(CutoverResult(detail: "\(summary); report \(path)"))
        // Mail still queued is not a failure: the step is checked again, as the drain is.
        case .pending: return .notYet(detail: "\(summary); report \(path)", retryAfter: drainInterval)
        case .failed: return .failed(reason: "\(summary); report \(path)")
        }
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
