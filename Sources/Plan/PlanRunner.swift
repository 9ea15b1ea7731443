import Cutover
import DNSCodec
import Foundation
import Logging
import MailferryConfig
import Migration
import SyncEngine

/// The work of `mailferry plan`: turns the config's `[plan]` table into the checks, runs
/// them, and returns one report. Read-only; prints nothing.
public enum PlanRunner {
    /// The DNS check the `[plan]` table describes. `transport` replaces the UDP/TCP client
    /// (tests); `resolvConf` is where the default resolvers are read from.
    public static func dnsCheck(_ plan: PlanConfig, transport: (any DNSTransport)? = nil, resolvConf: String = "/etc/resolv.conf") -> DNSCheck {
        let dns = plan.dns
        let timeout = dns?.timeout.flatMap(ConfigDuration.parse) ?? .seconds(3)
        let client = transport ?? DNSClient(timeout: timeout, attempts: dns?.attempts ?? 2)
        let port = dns?.port ?? 53
        // Loading validated every value, so nothing is dropped by these compactMaps.
        let roots = (dns?.roots ?? []).compactMap { PlanConfig.parseServer($0) }.map { DNSServer(address: $0.address, port: $0.port) }
        let resolvers = dns?.resolvers.map { list in
            list.compactMap { PlanConfig.parseServer($0) }.map { DNSServer(address: $0.address, port: $0.port) }
        } ?? systemResolvers(resolvConf)
        let settings = DNSPlanSettings(
            domains: plan.domains.compactMap { try? DNSName($0) },
            oldAddresses: (plan.oldAddresses ?? []).compactMap { IPAddress($0) },
            newAddresses: (plan.newAddresses ?? []).compactMap { IPAddress($0) },
            resolvers: resolvers,
            marginSeconds: Int((plan.margin.flatMap(ConfigDuration.parse) ?? .seconds(86_400)).components.seconds),
            switchAt: plan.switchAt.flatMap(PlanConfig.parseDate))
        return DNSCheck(lookup: AuthoritativeLookup(transport: client, roots: roots.isEmpty ? DNSServer.internetRoots : roots, port: port),
                        settings: settings)
    }

    /// The DNS watch of `mailferry dns watch` (and the cutover's drain): the servers and
    /// addresses of the `[plan]` table, for `domains` when given, else the table's.
    public static func dnsWatch(_ plan: PlanConfig, domains: [DNSName]? = nil, transport: (any DNSTransport)? = nil) -> DNSWatch {
        let check = dnsCheck(plan, transport: transport)
        var settings = check.settings
        if let domains { settings.domains = domains }
        return DNSWatch(lookup: check.lookup, settings: settings)
    }

    /// Why the DNS checks did not run (and, without a `[plan]` table, the address checks),
    /// for a report made without them: `plan` is the config's `[plan]` table (nil: the config
    /// has none, so it names no domains).
    public static func dnsSkippedReason(_ plan: PlanConfig?) -> String {
        guard let plan else {
            return "The config has no [plan] table, so it names no mail domains: no DNS record was read and no address checked. "
                + "Add [plan] with domains = [\"example.com\"] and new_addresses = [\"198.51.100.20\"] (see mailferry plan --help) "
                + "and run the plan without --no-dns, for the TTLs, the drain time and the decommission date."
        }
        return "The plan ran with --no-dns: no DNS record of \(plan.domains.joined(separator: ", ")) was read. "
            + "Run it without --no-dns for the TTLs, the drain time and the decommission date."
    }

    /// Runs the DNS checks of the config's `[plan]` table.
    public static func run(_ plan: PlanConfig, transport: (any DNSTransport)? = nil, now: Date = Date()) async -> PlanReport {
        let dns = await dnsCheck(plan, transport: transport).run()
        return PlanReport(generated: now, domains: plan.domains, findings: dns.findings, records: dns.records, schedule: dns.schedule)
    }

    /// The addresses check of `[plan]`, when it names old_postfix and either the new
    /// Postfix's post-switch configuration directory (`newPostfix`, on this host: checked
    /// with postconf and postmap) or new_smtp (asked with RCPT); the old Postfix's maps are
    /// read on `old` (the old host, locally or over ssh). `accounts` are the old host's local
    /// users.
    public static func addressCheck(_ plan: PlanConfig, old: any Cutover.Host, newPostfix: String? = nil, accounts: [String] = []) -> AddressCheck? {
        guard let directory = plan.oldPostfix else { return nil }
        let smtp = plan.newSMTP.flatMap(PlanConfig.parseHostPort)
        let postSwitch = newPostfix.map { PostSwitchAddresses(postfix: PostfixHost(host: LocalHost(name: "new (local)"), configDirectory: $0), domains: plan.domains) }
        guard smtp != nil || postSwitch != nil else { return nil }
        return AddressCheck(old: OldPostfixAddresses(postfix: PostfixHost(host: old, configDirectory: directory)),
                            probe: smtp.map { RecipientProbe(host: $0.host, port: $0.port) }, postSwitch: postSwitch, domains: plan.domains,
                            accounts: accounts)
    }

    /// The accounts check for the config file at `path`: the accounts and stores exactly as
    /// `sync --config` resolves them (read-only), each checked on both servers, then `sample`
    /// timed on the old server (nil: no sample).
    public static func accountCheck(configPath path: String, logger: Logger, sample: TimingSample? = nil) throws -> AccountCheck {
        var request = MigrationRequest()
        request.config = path
        let setup = try MigrationSetup.resolve(request, readOnly: true, logger: logger)
        let destination = setup.config?.destination.url ?? ""
        return AccountCheck(jobs: setup.jobs, checkDestination: !MaildirURL.isMaildir(destination), parallel: setup.parallelAccounts,
                            rules: MappingRules(setup.config?.folders), sample: sample)
    }

    /// The `nameserver` lines of resolv.conf(5); none when the file cannot be read.
    static func systemResolvers(_ path: String) -> [DNSServer] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver", let address = IPAddress(String(fields[1])) else { return nil }
            return DNSServer(address: address)
        }
    }
}
