import Cutover
import DNSCodec
import Foundation
import MailferryConfig
import Migration

extension PlanRunner {
    /// The quota check of `[plan]`, when it names the new Dovecot's config.
    public static func quotaCheck(_ plan: PlanConfig?) -> QuotaCheck? {
        guard let config = plan?.newDovecotConfig else { return nil }
        return QuotaCheck(host: LocalHost(name: "new (local)"), dovecotConfig: config)
    }

    /// The checks that read the old host (per-user filters of `accounts`) and compare the
    /// two Postfix instances (myhostname, the relay listener's inbound policy). The old host
    /// is `[plan] old_host`, else `[cutover]` old.host, reached as the cutover reaches it
    /// (locally, or with ssh over one multiplexed connection whose socket lives in a private
    /// temporary directory, removed afterwards). Nothing is written on either host. With
    /// `lookup` (the DNS part runs), DKIM too: the selectors of the old host's OpenDKIM, their
    /// keys in DNS, and whether the new Postfix signs. With `addresses`, the old Postfix's
    /// alias maps are read there too and asked of the new server.
    public static func hostChecks(_ config: MigrationConfig, accounts: [String]?, addresses: Bool,
                                  lookup: AuthoritativeLookup?) async -> (findings: [PlanFinding], records: [PlanRecord]) {
        let plan = config.plan
        let cutover = config.cutover
        // Without old_host or [cutover] the old host is not named: its Postfix is read here
        // when old_postfix is set, but no home or OpenDKIM file is searched.
        let named = (plan?.oldHost ?? cutover?.old.host) != nil
        let destination = plan?.oldHost ?? cutover?.old.host ?? "local"
        let old: any Cutover.Host
        var sshDirectory: String?
        if destination == "local" {
            old = LocalHost(name: "old (local)")
        } else {
            let directory = NSTemporaryDirectory() + "mailferry-plan-ssh-\(UUID().uuidString.prefix(8))"
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            } catch {
                return ([PlanFinding(area: "hosts", subject: destination, severity: .warning, message: "cannot create a directory for ssh's control socket: \(error)")], [])
            }
            sshDirectory = directory
            let options = plan?.oldHost != nil ? plan?.oldSSHOptions : cutover?.old.sshOptions
            old = SSHHost(destination: destination, controlPath: directory + "/control-%C", options: options ?? [])
        }
        var findings: [PlanFinding] = []
        if addresses, let plan, let check = addressCheck(plan, old: old) { findings += await check.run() }
        if let accounts, named { findings += await DeliveryFilterCheck(host: old).run(accounts: accounts) }
        if let policy = policyCheck(config, old: old) { findings += await policy.run() }
        var records: [PlanRecord] = []
        if let dkim = dkimCheck(config, old: named ? old : nil, lookup: lookup) {
            let result = await dkim.run()
            findings += result.findings
            records = result.records
        }
        if let ssh = old as? SSHHost, let sshDirectory {
            try? await ssh.close()
            try? FileManager.default.removeItem(atPath: sshDirectory)
        }
        return (findings, records)
    }

    /// The DKIM check of the domains, when the DNS part runs.
    static func dkimCheck(_ config: MigrationConfig, old: (any Cutover.Host)?, lookup: AuthoritativeLookup?) -> DKIMCheck? {
        guard let lookup, let plan = config.plan else { return nil }
        let newPostfix = (plan.newPostfix ?? config.cutover?.newPostfix).map { PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: $0) }
        return DKIMCheck(lookup: lookup, domains: plan.domains.compactMap { try? DNSName($0) }, old: old, newPostfix: newPostfix)
    }

    /// The myhostname and inbound policy check, when both Postfix directories are known.
    static func policyCheck(_ config: MigrationConfig, old: any Cutover.Host) -> HostPolicyCheck? {
        guard let oldDirectory = config.plan?.oldPostfix ?? config.cutover?.oldPostfix,
              let newDirectory = config.plan?.newPostfix ?? config.cutover?.newPostfix else { return nil }
        return HostPolicyCheck(old: PostfixHost(host: old, configDirectory: oldDirectory),
                               new: PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: newDirectory),
                               relayPort: config.cutover?.new.relayPort ?? 25)
    }
}
