import Foundation
import Logging
import MailferryConfig
import Migration

extension PlanRunner {
    /// The report of `mailferry plan` for the config `loaded` (read from `config`): the DNS
    /// checks unless `noDNS`; unless `noAccounts`, the POP3 users, the accounts on both
    /// servers (with the timed `sample` of the old one), quotas, capacity and the estimates;
    /// then the host checks. Throws only when the accounts cannot be resolved from the config
    /// (as ``accountCheck(configPath:logger:sample:)``); `logger` is made only then, when the
    /// accounts are checked.
    public static func report(_ loaded: MigrationConfig, config: String, noDNS: Bool, noAccounts: Bool, sample: TimingSample?,
                              logger: @autoclosure () -> Logger) async throws -> PlanReport {
        var report = PlanReport(generated: Date(), domains: loaded.plan?.domains ?? [], findings: [], records: [], schedule: nil)
        if !noDNS, let plan = loaded.plan {
            report = await PlanRunner.run(plan)
        } else {
            report.dnsSkipped = PlanRunner.dnsSkippedReason(loaded.plan)
        }
        if !noAccounts {
            let check = try PlanRunner.accountCheck(configPath: config, logger: logger(), sample: sample)
            // Before the accounts are read over IMAP, which makes Courier mark every Maildir.
            report.findings += await PlanRunner.pop3Users(loaded, accounts: check.jobs.map(\.name))
            let accounts = await check.run()
            report.findings += accounts.findings
            var plans = accounts.accounts
            let users = (try? loaded.destinationUsers()) ?? [:]
            for index in plans.indices { plans[index].destinationUser = users[plans[index].account] }
            if let quota = PlanRunner.quotaCheck(loaded.plan) { report.findings += await quota.run(&plans) }
            report.accounts = plans
            if let store = loaded.plan?.newStore {
                report.findings += CapacityCheck.findings(accounts: plans, store: store)
            }
            report.freeze = FreezeEstimate.estimate(accounts: plans, parallel: check.parallel,
                                                    deltaMessages: loaded.cutover?.smallDelta ?? CutoverConfig.defaultSmallDelta,
                                                    maildirDestination: !check.checkDestination)
            if let freeze = report.freeze { report.findings += freeze.findings }
        }
        let lookup = noDNS ? nil : loaded.plan.map { PlanRunner.dnsCheck($0).lookup }
        let hosts = await PlanRunner.hostChecks(loaded, accounts: noAccounts ? nil : report.accounts.map(\.account), addresses: true,
                                                lookup: lookup)
        report.findings += hosts.findings
        report.records += hosts.records
        return report
    }
}
