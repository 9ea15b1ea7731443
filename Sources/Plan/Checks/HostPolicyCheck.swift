import Cutover

/// The two Postfix instances side by side: their `myhostname` must differ (smtp(8) bounces
/// mail to a port-25 peer that greets with its own name, 5.4.6 "loops back to myself"),
/// and the listener on the new server that the old host relays to during the drain must let
/// that mail through (no postscreen, milter, policy service or DNS block list).
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
            let values = try await new.host.check(["\(new.commandDirectory)/postconf", "-c", new.configDirectory, "-h"] + InboundPolicy.settings)
                .standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let mainCF = Dictionary(uniqueKeysWithValues: zip(InboundPolicy.settings, values + Array(repeating: "", count: max(0, InboundPolicy.settings.count - values.count))))
            let master = try await new.host.check(["\(new.commandDirectory)/postconf", "-c", new.configDirectory, "-M"]).standardOutput
            findings += Self.evaluate(mainCF: mainCF, masterCF: master, port: relayPort)
        } catch {
            findings.append(PlanFinding(area: "hosts", subject: "inbound policy", severity: .warning, message: "cannot read the new Postfix's inbound policy: \(error)",
                                        action: "Check [plan] new_postfix."))
        }
        return findings
    }

    static let relayAdvice = "Give the old host a dedicated relay listener on the new server: a master.cf smtpd service on its own port, open to the old host's address only, with -o smtpd_milters= and restrictions without policy services or block lists; then set [cutover] new.relay_port to it (docs/admin/cutover.md)."

    static func evaluate(mainCF: [String: String], masterCF: String, port: Int) -> [PlanFinding] {
        let listeners = InboundPolicy.listeners(masterCF, port: port)
        guard !listeners.isEmpty else {
            return [PlanFinding(area: "hosts", subject: "relay port \(port)", severity: .blocker,
                                message: "no smtpd listener on port \(port) of the new Postfix, where the old host relays during the drain",
                                action: relayAdvice)]
        }
        return listeners.map { line in
            let name = line.split(separator: " ").first.map(String.init) ?? line
            let policy = InboundPolicy(mainCF: mainCF, service: line)
            guard !policy.obstacles.isEmpty else {
                return PlanFinding(area: "hosts", subject: "relay listener \(name)", severity: .ok,
                                   message: "no postscreen, milter, policy service or DNS block list on the listener the old host relays to")
            }
            return PlanFinding(area: "hosts", subject: "relay listener \(name)", severity: .warning,
                               message: "mail the old host relays during the drain meets \(policy.obstacles.joined(separator: "; ")): an SPF check rejects it (the original senders' domains do not list the old host), greylisting defers each message",
                               action: relayAdvice)
        }
    }
}
