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
    /// `lookup` (the DNS part runs), each address's PTR against its Postfix's myhostname, and DKIM too: the selectors of the old host's OpenDKIM, their
    /// keys in DNS, and whether the new Postfix signs. With `addresses`, the old Postfix's
    /// maps are read there too and checked against the new Postfix's post-switch configuration
    /// (`[plan] new_postfix`, else `[cutover]` new.postfix), else asked of new_smtp.
    public static func hostChecks(_ config: MigrationConfig, accounts: [String]?, addresses: Bool,
                                  lookup: AuthoritativeLookup?) async -> (findings: [PlanFinding], records: [PlanRecord]) {
        let plan = config.plan
        let cutover = config.cutover
        let access: OldHostAccess
        switch oldHost(config) {
        case .success(let opened): access = opened
        case .failure(let finding): return ([finding.finding], [])
        }
        let old = access.host
        let named = access.named
        var findings: [PlanFinding] = []
        if addresses, let plan,
           let check = addressCheck(plan, old: old, newPostfix: plan.newPostfix ?? cutover?.newPostfix, accounts: accounts ?? []) {
            findings += await check.run()
        }
        if let accounts, named {
            let postSwitch = plan.flatMap { plan in
                (plan.newPostfix ?? cutover?.newPostfix).map {
                    PostSwitchAddresses(postfix: PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: $0), domains: plan.domains)
                }
            }
            findings += await DeliveryFilterCheck(host: old, domains: plan?.domains ?? [], postSwitch: postSwitch).run(accounts: accounts)
            findings += await FolderNameCheck(host: old).run(accounts: accounts)
        }
        if let policy = policyCheck(config, old: old) { findings += await policy.run() }
        if let lookup, let ptr = ptrNameCheck(config, old: old, lookup: lookup) { findings += await ptr.run() }
        var records: [PlanRecord] = []
        if let dkim = dkimCheck(config, old: named ? old : nil, lookup: lookup) {
            let result = await dkim.run()
            findings += result.findings
            records = result.records
        }
        await access.close()
        return (findings, records)
    }

    /// The old host's POP3-only users among `accounts`, when the old host is named (`[plan]
    /// old_host` or `[cutover]`). Run it before the accounts check: Courier marks every
    /// Maildir the plan opens over IMAP.
    public static func pop3Users(_ config: MigrationConfig, accounts: [String]) async -> [PlanFinding] {
        guard (config.plan?.oldHost ?? config.cutover?.old.host) != nil else { return [] }
        switch oldHost(config) {
        case .success(let access):
            let findings = await POP3UserCheck(host: access.host).run(accounts: accounts)
            await access.close()
            return findings
        case .failure(let failure):
            return [failure.finding]
        }
    }

    /// The old host as the plan reaches it, and how to let it go.
    struct OldHostAccess {
        var host: any Cutover.Host
        /// Whether the config names the old host; without, its Postfix is read here when
        /// old_postfix is set, but no home or OpenDKIM file is searched.
        var named: Bool
        var sshDirectory: String?

        func close() async {
            if let ssh = host as? SSHHost, let sshDirectory {
                try? await ssh.close()
                try? FileManager.default.removeItem(atPath: sshDirectory)
            }
        }
    }

    struct OldHostFailure: Error {
        var finding: PlanFinding
    }

    /// `[plan] old_host`, else `[cutover]` old.host, reached as the cutover reaches it
    /// (locally, or with ssh over one multiplexed connection whose socket lives in a private
    /// temporary directory, removed by ``OldHostAccess/close()``); this host when neither names one.
    static func oldHost(_ config: MigrationConfig) -> Result<OldHostAccess, OldHostFailure> {
        let plan = config.plan
        let cutover = config.cutover
        let named = (plan?.oldHost ?? cutover?.old.host) != nil
        let destination = plan?.oldHost ?? cutover?.old.host ?? "local"
        guard destination != "local" else { return .success(OldHostAccess(host: LocalHost(name: "old (local)"), named: named)) }
        let directory = NSTemporaryDirectory() + "mailferry-plan-ssh-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            return .failure(OldHostFailure(finding: PlanFinding(area: "hosts", subject: destination, severity: .warning,
                                                                message: "cannot create a directory for ssh's control socket: \(error)")))
        }
        let options = plan?.oldHost != nil ? plan?.oldSSHOptions : cutover?.old.sshOptions
        return .success(OldHostAccess(host: SSHHost(destination: destination, controlPath: directory + "/control-%C", options: options ?? []),
                                      named: named, sshDirectory: directory))
    }

    /// The DKIM check of the domains, when the DNS part runs.
    static func dkimCheck(_ config: MigrationConfig, old: (any Cutover.Host)?, lookup: AuthoritativeLookup?) -> DKIMCheck? {
        guard let lookup, let plan = config.plan else { return nil }
        let newPostfix = (plan.newPostfix ?? config.cutover?.newPostfix).map { PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: $0) }
        return DKIMCheck(lookup: lookup, domains: plan.domains.compactMap { try? DNSName($0) }, old: old, newPostfix: newPostfix)
    }

    /// The PTR names against myhostname, when the DNS part runs and the new Postfix's
    /// directory is known; the old side too when the old Postfix's is.
    static func ptrNameCheck(_ config: MigrationConfig, old: any Cutover.Host, lookup: AuthoritativeLookup) -> PTRNameCheck? {
        guard let plan = config.plan, let newDirectory = plan.newPostfix ?? config.cutover?.newPostfix else { return nil }
        var sides = [PTRNameCheck.Side(label: "new", postfix: PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: newDirectory),
                                       addresses: (plan.newAddresses ?? []).compactMap { IPAddress($0) })]
        if let oldDirectory = plan.oldPostfix ?? config.cutover?.oldPostfix {
            sides.append(PTRNameCheck.Side(label: "old", postfix: PostfixHost(host: old, configDirectory: oldDirectory),
                                           addresses: (plan.oldAddresses ?? []).compactMap { IPAddress($0) }))
        }
        return PTRNameCheck(lookup: lookup, sides: sides)
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
