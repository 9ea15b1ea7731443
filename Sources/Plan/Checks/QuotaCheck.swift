import Cutover
import MailModel
import Migration

/// The new server's quota for each account against the size of its mailbox on the old
/// server: a mailbox that does not fit stops the bulk copy half-way with `OVERQUOTA` (and,
/// after the switch, bounces the user's new mail), so it is a blocker; one that fills most
/// of its quota is a warning, because new mail keeps arriving. Read with doveadm on the new
/// host, the quota the sync's APPENDs and Dovecot's LMTP will meet.
public struct QuotaCheck: Sendable {
    /// The host with the new Dovecot (where the plan runs).
    public var host: any Cutover.Host
    /// The program and its config: `["doveadm", "-c", "/etc/dovecot/dovecot.conf"]`.
    public var doveadm: [String]
    /// Above this share of the limit, a mailbox that fits is still a warning.
    public static let nearShare = 0.9

    public init(host: any Cutover.Host, dovecotConfig: String, doveadm: String = "/usr/bin/doveadm") {
        self.host = host
        self.doveadm = [doveadm, "-c", dovecotConfig]
    }

    /// Reads each measured account's quota into its plan and returns the findings.
    public func run(_ accounts: inout [AccountPlan]) async -> [PlanFinding] {
        var findings: [PlanFinding] = []
        for index in accounts.indices where accounts[index].sourceBytes != nil {
            let user = accounts[index].destinationUser ?? accounts[index].account
            do {
                let output = try await host.run(HostCommand(doveadm + ["-f", "tab", "quota", "get", "-u", user], timeout: .seconds(30)))
                // 67 is EX_NOUSER: Dovecot's userdb does not know the user.
                if output.status == 67 {
                    findings.append(Self.finding(accounts[index].account, .blocker, "the new server's Dovecot has no user \(user): \(output.firstLine)",
                                                 action: "Create the account on the new server before the bulk copy."))
                    continue
                }
                guard output.status == 0, let quota = AccountQuota.parse(doveadmTab: output.standardOutput) else {
                    findings.append(Self.finding(accounts[index].account, .warning, "cannot read the quota of \(user) on the new server: \(output.firstLine)",
                                                 action: "Check [plan] new_dovecot_config and that Dovecot's quota plugin is enabled; run the plan as root on the new host."))
                    continue
                }
                accounts[index].quota = quota
                findings.append(Self.evaluate(accounts[index], quota))
            } catch {
                findings.append(Self.finding(accounts[index].account, .warning, "cannot run doveadm for \(user): \(error)",
                                             action: "Run the plan on the new host, where doveadm is installed."))
            }
        }
        return findings
    }

    static func finding(_ account: String, _ severity: PlanFinding.Severity, _ message: String, action: String? = nil) -> PlanFinding {
        PlanFinding(area: "quota", subject: account, severity: severity, message: message, action: action)
    }

    /// One account's size (as measured on the old server) against its quota. The size is
    /// compared with the limit, not with limit minus usage: what the new server holds now
    /// is mostly earlier copies of the same messages.
    static func evaluate(_ plan: AccountPlan, _ quota: AccountQuota) -> PlanFinding {
        let bytes = plan.sourceBytes ?? 0
        let messages = plan.sourceMessages ?? 0
        var over: [String] = []
        var near: [String] = []
        var limits: [String] = []
        if let limit = quota.storageLimitBytes {
            let text = "\(ByteFormatting.size(bytes)) against a quota of \(ByteFormatting.size(limit))"
            limits.append(text)
            if bytes > limit { over.append(text) } else if Double(bytes) > Double(limit) * nearShare { near.append(text) }
        }
        if let limit = quota.messageLimit {
            let text = "\(messages) messages against a limit of \(limit)"
            limits.append(text)
            if messages > limit { over.append(text) } else if Double(messages) > Double(limit) * nearShare { near.append(text) }
        }
        if !over.isEmpty {
            return finding(plan.account, .blocker, "the mailbox does not fit its quota on the new server: \(over.joined(separator: "; "))",
                           action: "Raise the quota on the new server before the bulk copy, or the copy stops with OVERQUOTA and new mail bounces after the switch.")
        }
        if !near.isEmpty {
            return finding(plan.account, .warning, "the mailbox fills more than \(Int(nearShare * 100)) % of its quota on the new server: \(near.joined(separator: "; "))",
                           action: "Raise the quota: mail that arrives until the switch may not fit.")
        }
        if limits.isEmpty { return finding(plan.account, .ok, "no quota on the new server") }
        return finding(plan.account, .ok, "fits its quota on the new server: \(limits.joined(separator: "; "))")
    }
}
