import Cutover
import Foundation
import Logging
import MailferryConfig
import StateStore

/// One cutover as a front end drives it (the CLI today, a dashboard later): the config, its
/// journal in the state store, the machine, and the live effects.
public struct CutoverSession: Sendable {
    public let configPath: String
    public let cutover: CutoverConfig
    public let stateDirectory: String
    /// The journal's name: the domains, so one state directory can hold several cutovers.
    public let run: String
    public let machine: CutoverMachine
    public let journal: StateCutoverJournal
    /// The config's `[plan]` table, whose old addresses and name servers the drain's DNS watch uses.
    public let plan: PlanConfig?
    /// The drain's DNS watch, built by the front end from `plan` (Plan's `DNSWatch`); nil:
    /// the drain does not watch DNS.
    public var dnsWatch: (any DrainDNSWatch)?

    /// Loads the config (it must have a `[cutover]` table) and opens the journal.
    public static func open(configPath: String) throws -> CutoverSession {
        let config = try MigrationConfig.load(path: configPath)
        guard var cutover = config.cutover else {
            throw ConfigError("\(configPath): no [cutover] table (see examples/cutover.toml)")
        }
        if cutover.drain?.ttl == nil, let report = cutover.drain?.planReport {
            let base = (configPath as NSString).deletingLastPathComponent
            cutover.planned = try PlanSchedule.read(report: report.hasPrefix("/") || base.isEmpty ? report : (base as NSString).appendingPathComponent(report))
        }
        let stateDirectory = config.sync?.state ?? ".mailferry"
        let store = try SQLiteStateStore(directory: stateDirectory)
        let run = cutover.domains.joined(separator: ",")
        return CutoverSession(
            configPath: configPath, cutover: cutover, stateDirectory: stateDirectory, run: run,
            machine: CutoverMachine(smallDelta: cutover.smallDelta, maxRounds: cutover.maxRounds),
            journal: StateCutoverJournal(store: store, run: run), plan: config.plan)
    }

    public func status(now: Double = Date().timeIntervalSince1970) async throws -> CutoverStatus {
        CutoverStatus(run: run, records: try await journal.records(), machine: machine, now: now, proofSource: cutover.proofSource)
    }

    /// The hosts, every command on them logged to `cutover-commands.log` in the state directory.
    public func hosts() throws -> CutoverHosts {
        let log = try CutoverCommandLogFile(path: (stateDirectory as NSString).appendingPathComponent("cutover-commands.log"))
        return try CutoverHosts(cutover, stateDirectory: stateDirectory, log: log)
    }

    /// The log-based proof of the configured logs; nil without `old.mail_log` (the proof is
    /// then the per-account verify).
    public func logProver(hosts: CutoverHosts) throws -> LogCutoverProver? {
        guard cutover.old.mailLog != nil else { return nil }
        let users = try MigrationConfig.load(path: configPath).allAccounts().map(\.user)
        return LogCutoverProver(config: cutover, hosts: hosts, journal: journal, users: users)
    }

    /// The effects on the configured hosts and accounts.
    public func effects(hosts: CutoverHosts, logger: Logger, prover: (any CutoverProver)?) -> HostCutoverEffects {
        var effects = HostCutoverEffects(
            config: cutover, hosts: hosts, mailboxes: FleetMailboxes(configPath: configPath, logger: logger), journal: journal,
            prover: prover, reportDirectory: (stateDirectory as NSString).appendingPathComponent("cutover-report"),
            now: { Date().timeIntervalSince1970 })
        effects.dns = dnsWatch
        return effects
    }

    /// Whether the drain watches DNS: with a `[plan]` table that names the old server's
    /// addresses (what `mailferry dns watch` needs too), the front end wires the watch.
    public var watchesDNS: Bool { !(plan?.oldAddresses ?? []).isEmpty }

    public func runner(effects: any CutoverEffects) -> CutoverRunner<ContinuousClock> {
        CutoverRunner(machine: machine, journal: journal, effects: effects, clock: ContinuousClock(),
                      now: { Date().timeIntervalSince1970 }, makeToken: { UUID().uuidString.lowercased() })
    }
}
