import Foundation
import Cutover
import MailferryConfig
import PostfixControl

/// Builds `cutover plan` from the journal and what the hosts show now. Read-only: it runs
/// `postconf` and reads files, and changes nothing on either host.
public struct CutoverPlanner: Sendable {
    public var session: CutoverSession
    public var hosts: CutoverHosts

    public init(session: CutoverSession, hosts: CutoverHosts) {
        self.session = session
        self.hosts = hosts
    }

    public func plan() async throws -> CutoverPlanReport {
        let state = CutoverState(records: try await session.journal.records())
        let current = try await hosts.oldPostfix.explicitSettings()
        // Before the hold there is no backup yet: the one the hold would take is what main.cf
        // holds now.
        let backup = try await hosts.oldPostfix.cutoverBackup() ?? CutoverBackup(
            postfix: PostfixBackup(createdAt: 0, parameters: Dictionary(uniqueKeysWithValues: [
                "smtpd_recipient_restrictions", "transport_maps", "recipient_bcc_maps", "soft_bounce",
            ].map { ($0, current[$0]) }), explicitSettings: current),
            services: ["\(CutoverDomains.holdService)/unix": String?.none], heldBefore: [])
        let steps = session.machine.remainingForward(state).map { describe($0, current: current, backup: backup) }
        let refusal = session.machine.rollbackRefusal(state)
        var rollbackState = state
        rollbackState.apply(CutoverRecord(sequence: 0, at: 0, step: nil, event: .rollbackRequested))
        let rollback = refusal == nil ? session.machine.rollbackSteps(rollbackState).map { describe($0, current: current, backup: backup) } : []
        return CutoverPlanReport(run: session.run, oldHost: hosts.old.name, steps: steps, checks: try await checks(),
                                 rollbackRefusal: refusal, rollbackSteps: rollback)
    }

    /// The go/no-go checks that can be made before anything changes.
    public func checks() async throws -> [CutoverPlanReport.Check] {
        var checks: [CutoverCheck] = []
        checks.append(try await HostnameCheck.distinct(old: hosts.oldPostfix, new: hosts.newPostfix))
        let bcc = try await hosts.oldPostfix.value("recipient_bcc_maps")
        let mirrorSpec = "regexp:\(hosts.oldPostfix.mailferryDirectory)/recipient_bcc.regexp"
        checks.append(CutoverCheck("old Postfix bcc's to the mirror", passed: bcc == mirrorSpec,
                                   detail: bcc == mirrorSpec ? bcc : "recipient_bcc_maps = \"\(bcc)\": run `mailferry postfix mirror --apply` on the old host"))
        let aliasMaps = try await hosts.oldPostfix.value("alias_maps")
        let sources = AliasCheck.sourceFiles(aliasMaps: aliasMaps)
        var blockers: [String] = []
        for file in sources.files {
            guard let bytes = try await hosts.old.readFile(file) else { continue }
            blockers += AliasCheck.blockers(in: String(decoding: bytes, as: UTF8.self), file: file)
        }
        checks.append(CutoverCheck(
            "no pipe, file or :include: alias", passed: blockers.isEmpty,
            detail: blockers.isEmpty ? "checked \(sources.files.joined(separator: ", "))" + (sources.unchecked.isEmpty ? "" : "; not checked: \(sources.unchecked.joined(separator: ", "))")
                : "these cannot run on the new server; keep them local on the old host with their own transport entries, or remove them: "
                    + blockers.joined(separator: "; ")))
        let master = try await hosts.oldPostfix.masterServices()
        if master.status == 0 {
            checks.append(SubmissionHoldCheck.check(PostfixProxyServices(masterCF: master.standardOutput, mainDefault: "")))
        }
        checks += try await forwardChecks()
        return checks.map { CutoverPlanReport.Check(name: $0.name, passed: $0.passed, detail: $0.detail, blocking: $0.blocking) }
    }

    func describe(_ step: CutoverStep, current: [String: String], backup: CutoverBackup) -> CutoverPlanReport.Step {
        let config = session.cutover
        func on(_ host: String, _ lines: [String]) -> CutoverPlanReport.Step {
            CutoverPlanReport.Step(step: step.name, phase: step.phase.rawValue, summary: step.summary, host: host, commands: lines)
        }
        func argv(_ argv: [String]) -> String { HostCommand(argv).description }
        let old = hosts.oldPostfix
        switch step {
        case .closeNewLogins: return on("new", [argv(config.new.closeLoginsCommand)])
        case .relayNewToOld, .rollbackRelayNewToOld: return on("new", [argv(config.new.relayToOldCommand)])
        case .deliverLocallyOnNew: return on("new", [argv(config.new.deliverLocallyCommand)])
        case .openLogins: return on("new", [argv(config.new.openLoginsCommand)])
        case .startForward, .stopForward:
            guard let forward = config.forward else { return on("old", ["nothing: no [cutover.forward], no forwarder"]) }
            var lines = [argv(forward.command(start: step == .startForward))]
            if step == .startForward, let isActive = forward.isActiveCommand { lines.append(argv(isActive) + "   must say active") }
            return on("old", lines)
        case .checkMirror: return on("old", [argv(["/usr/sbin/postconf", "-c", old.configDirectory, "-h", "recipient_bcc_maps"])])
        case .testRelay: return on("both", relayTestLines(current: current))
        case .presync: return on("mailboxes", [FleetMailboxes.commandLine(.presync, configPath: session.configPath)])
        case .finalSync: return on("mailboxes", [FleetMailboxes.commandLine(.final, configPath: session.configPath) + "   (nothing may be deferred)"])
        case .verify: return on("mailboxes", ["mailferry verify --config \(session.configPath)"])
        case .purgeMirrorCopies:
            return on("mailboxes", ["mailferry mirror purge --apply (each account, copies whose tag verifies; a maildir: destination on disk)"])
        case .markNewMailboxes: return on("mailboxes", ["each account's new folders opened: UIDVALIDITY and UIDNEXT into the journal"])
        case .rollbackCopyBack:
            return on("both", ["wait until the new Postfix has no delivery in flight for the domains",
                               "new mail after the marks read from the new mailboxes; written as Maildir files (tmp/, then new/ or cur/) under "
                                   + (config.old.maildir ?? "the maildir: source's path") + " on the old host"])
        case .stopOldIMAP, .rollbackStartOldIMAP:
            let start = step == .rollbackStartOldIMAP
            if let command = start ? config.old.startImapCommand : config.old.stopImapCommand { return on("old", [argv(command)]) }
            var lines = [argv(["systemctl", start ? "start" : "stop"] + config.imapUnits)]
            if !start { lines.append(argv(["pgrep", "-a", "-x", HostCutoverEffects.sessionProcesses]) + "   until none is left") }
            return on("old", lines)
        case .enterHold, .rollbackHoldOld:
            let plan = HoldPlan(domains: hosts.domains).plan(current: current, mailferryDirectory: old.mailferryDirectory)
            return on("old", lines(plan))
        case .verifyHold:
            return on("old", ["postconf -h smtpd_recipient_restrictions transport_maps recipient_bcc_maps; postmap -q each domain in the hold and transport tables"])
        case .quietStore: return on("old", [argv(["/usr/sbin/postqueue", "-c", old.configDirectory, "-j"]) + "   and the master's children, until no local/virtual agent runs"])
        case .relayOldToNew:
            let plan = RelayPlan(domains: hosts.domains, host: config.new.relayHost, port: config.new.relayPort ?? 25).plan(backup: backup)
            return on("old", lines(plan))
        case .rollbackRestoreOld: return on("old", lines(RestorePlan(domains: hosts.domains).plan(backup: backup)))
        case .drainCheck:
            var lines = [argv(["/usr/sbin/postqueue", "-c", old.configDirectory, "-j"]) + "   every \(60) s until the criteria hold"]
            if let log = config.old.mailLog {
                lines.append("read \(log) on the old host (and \(log).1) for mail to the domains from the network; decommission after "
                    + "\(Int(config.quiet.components.seconds)) s without any")
            }
            if let forward = config.forward, forward.loginQuietDuration > .zero {
                let log = forward.loginLog ?? config.new.dovecotLog ?? config.new.mailLog ?? CutoverForwardConfig.defaultLoginLog
                lines.append("read \(log) on the new host for logins with lip= \(forward.forwardedAddresses.joined(separator: ", ")) "
                    + "(through the forwarder); decommission after \(Int(forward.loginQuietDuration.components.seconds)) s without any")
            }
            if let dns = session.dnsWatch {
                lines += dns.questions.map { "DNS, one round per check: \($0)" }
                lines.append("DNS: decommission once every answer leads to the new server and the last old answer's TTL + "
                    + "\(Int(config.margin.components.seconds)) s margin has passed (old answers are journaled when seen)")
            } else {
                lines.append("DNS not watched (no [plan] old_addresses): the drain's TTL is \(Int(config.ttl.components.seconds)) s")
            }
            return on("old", lines)
        case .prove:
            guard let oldLog = config.old.mailLog else {
                return on("mailboxes", ["mailferry verify --config \(session.configPath)   (\(config.proofSource))"])
            }
            var lines = ["read \(oldLog) on the old host (and \(oldLog).1 when it exists)"]
            for log in [config.new.mailLog, config.new.dovecotLog].compactMap({ $0 }) { lines.append("read \(log) on the new host (and \(log).1)") }
            lines.append("follow every message accepted since the first phase; write proof.json and proof.html to the state directory's cutover-report/")
            return on("both", lines)
        }
    }

    private func lines(_ plan: PostfixPlan) -> [String] {
        plan.render(for: hosts.oldPostfix).split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
