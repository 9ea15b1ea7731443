import Cutover

/// The two Postfix instances side by side: their `myhostname` must differ (smtp(8) bounces
/// mail to a port-25 peer that greets with its own name, 5.4.6 "loops back to myself"),
/// and the listener on the new server that the old host relays to during the drain must let
/// that mail through (no postscreen, milter, policy service or DNS block list). The other
/// way too: the new server relays the domains to the old host's port 25 before the switch
/// (`relay_to_old_command`) and again after a rollback.
public struct HostPolicyCheck: Sendable {
    public var old: PostfixHost
    public var new: PostfixHost
    /// The port the old host relays to (`[cutover]` new.relay_port, default 25).
    public var relayPort: Int

    public init(old: PostfixHost, new: PostfixHost, relayPort: Int) {
        self.old = old
        self.new = new
        self.relayPort = relayPort
    }

    public func run() async -> [PlanFinding] {
        var findings: [PlanFinding] = []
        do {
            let check = try await HostnameCheck.distinct(old: old, new: new)
            findings.append(PlanFinding(
                area: "hosts", subject: "myhostname", severity: check.passed ? .ok : .blocker, message: check.detail,
                action: check.passed ? nil : "Give one of the two Postfix instances another myhostname (with a matching PTR) before the cutover relays mail between them."))
        } catch {
            findings.append(PlanFinding(area: "hosts", subject: "myhostname", severity: .warning, message: "cannot compare the two servers' myhostname: \(error)",
                                        action: "Check [plan] old_postfix, new_postfix and old_host."))
        }
        do {
            let (mainCF, master) = try await Self.policy(of: new)
            findings += Self.evaluate(mainCF: mainCF, masterCF: master, port: relayPort)
        } catch {
            findings.append(PlanFinding(area: "hosts", subject: "inbound policy", severity: .warning, message: "cannot read the new Postfix's inbound policy: \(error)",
                                        action: "Check [plan] new_postfix."))
        }
        do {
            let (mainCF, master) = try await Self.policy(of: old)
            findings += Self.evaluateOld(mainCF: mainCF, masterCF: master)
        } catch {
            findings.append(PlanFinding(area: "hosts", subject: "old inbound policy", severity: .warning, message: "cannot read the old Postfix's inbound policy: \(error)",
                                        action: "Check [plan] old_postfix and old_host."))
        }
        return findings
    }

    /// main.cf's inbound settings and master.cf's services of `postfix`, as postconf reads them.
    static func policy(of postfix: PostfixHost) async throws -> (mainCF: [String: String], masterCF: String) {
        let values = try await postfix.host.check(["\(postfix.commandDirectory)/postconf", "-c", postfix.configDirectory, "-h"] + InboundPolicy.settings)
            .standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let mainCF = Dictionary(uniqueKeysWithValues: zip(InboundPolicy.settings, values + Array(repeating: "", count: max(0, InboundPolicy.settings.count - values.count))))
        let master = try await postfix.host.check(["\(postfix.commandDirectory)/postconf", "-c", postfix.configDirectory, "-M"]).standardOutput
        return (mainCF, master)
    }

    static let oldRelayAdvice = "Let the new host's relayed mail through on the old host: a master.cf smtpd service on its own port, open to the new host's address only, with -o smtpd_milters= and restrictions without policy services or block lists, as the transport of relay_to_old_command; or check_client_access for the new host's address ahead of the policy checks."

    /// The old host's port-25 listeners, which the new server relays the domains to before the
    /// switch and after a rollback (unless `relay_to_old_command` routes to a port of its own):
    /// what would refuse or defer that mail is a warning, since only those phases meet it.
    static func evaluateOld(mainCF: [String: String], masterCF: String) -> [PlanFinding] {
        findings(InboundPolicy.listeners(masterCF, port: 25), mainCF: mainCF, subject: "old listener",
                 ok: "no postscreen, milter, policy service or DNS block list on the old host's port 25, where the new server relays before the switch and after a rollback",
                 met: { "mail the new server relays to the old host's port 25 (relay_to_old_command: before the switch, and after a rollback) meets \($0): an SPF check rejects it, greylisting defers each message" },
                 action: oldRelayAdvice)
    }

    static let relayAdvice = "Give the old host a dedicated relay listener on the new server: a master.cf smtpd service on its own port, open to the old host's address only, with -o smtpd_milters= and restrictions without policy services or block lists; then set [cutover] new.relay_port to it (docs/admin/cutover.md)."

    static func evaluate(mainCF: [String: String], masterCF: String, port: Int) -> [PlanFinding] {
        let listeners = InboundPolicy.listeners(masterCF, port: port)
        guard !listeners.isEmpty else {
            return [PlanFinding(area: "hosts", subject: "relay port \(port)", severity: .blocker,
                                message: "no smtpd listener on port \(port) of the new Postfix, where the old host relays during the drain",
                                action: relayAdvice)]
        }
        return findings(listeners, mainCF: mainCF, subject: "relay listener",
                        ok: "no postscreen, milter, policy service or DNS block list on the listener the old host relays to",
                        met: { "mail the old host relays during the drain meets \($0): an SPF check rejects it (the original senders' domains do not list the old host), greylisting defers each message" },
                        action: relayAdvice)
    }

    /// One finding per listener: ok without obstacles, else a warning naming them (`met`).
    private static func findings(_ listeners: [String], mainCF: [String: String], subject: String, ok: String,
                                 met: (String) -> String, action: String) -> [PlanFinding] {
        listeners.map { line in
            let name = line.split(separator: " ").first.map(String.init) ?? line
            let policy = InboundPolicy(mainCF: mainCF, service: line)
            guard !policy.obstacles.isEmpty else {
                return PlanFinding(area: "hosts", subject: "\(subject) \(name)", severity: .ok, message: ok)
            }
            return PlanFinding(area: "hosts", subject: "\(subject) \(name)", severity: .warning,
                               message: met(policy.obstacles.joined(separator: "; ")), action: action)
        }
    }
}
