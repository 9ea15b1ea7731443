import Foundation

/// The tables of `scripts/bench accounts`: accounts per minute of each tool, the ratio, the
/// per-account costs and the target of issue 14.
struct AccountsBenchReport {
    var accounts: Int
    var jobs: Int
    var source: Census
    var startTLS: Bool
    var loadBefore: String
    var loadAfter = ""
    var loads = Samples()
    var seconds: [SyncTool: Samples] = [:]
    var mailferryRSS = Samples()
    var mailferryAccountSeconds = Samples()
    var costs: AccountCosts?
    var problems: [String] = []

    static let target = 2.0

    func render() -> String {
        var lines = ["", "accounts benchmark, \(SyncBenchReport.timestamp()), \(SyncBenchReport.machine()); "
            + "\(seconds.values.first?.values.count ?? 0) rounds, min / median; " + (startTLS ? "STARTTLS on both sides" : "plaintext on loopback")]
        lines.append("\(accounts) accounts (\(source.description) in all), \(jobs) at a time, one connection per server each")
        lines.append("load average (1/5/15 min): before \(loadBefore), during runs \(BenchTable.format(loads.min, decimals: 2))-\(BenchTable.format(loads.max, decimals: 2)) (1 min), after \(loadAfter)")
        var table = BenchTable(header: ["tool", "fleet s (min / median)", "accounts/min (median)", "msgs/s (median)"])
        for tool in [SyncTool.mailferry, .mbsync] {
            guard let samples = seconds[tool] else { continue }
            table.rows.append([
                tool == .mbsync ? "mbsync, one process per account" : "mailferry sync --jobs \(jobs)", samples.minMedian(),
                BenchTable.format(Double(accounts) / samples.median * 60, decimals: 0), BenchTable.format(Double(source.messages) / samples.median, decimals: 0),
            ])
        }
        lines.append(table.render())
        if !mailferryAccountSeconds.isEmpty {
            lines.append("mailferry per account (its --json seconds): min / median \(mailferryAccountSeconds.minMedian(decimals: 3)) s, max \(BenchTable.format(mailferryAccountSeconds.max, decimals: 3)) s; "
                + "peak RSS \(BenchTable.format(mailferryRSS.max)) MB")
        }
        if let costs {
            lines.append("")
            lines += costs.render(startTLS: startTLS)
        }
        if let ours = seconds[.mailferry], let theirs = seconds[.mbsync] {
            let ratio = theirs.median / ours.median
            let ratioMin = theirs.min / ours.min
            lines.append("")
            lines.append("mailferry vs mbsync: \(BenchTable.format(ratio, decimals: 2))x the accounts per minute (median; \(BenchTable.format(ratioMin, decimals: 2))x by the minimum)")
            lines.append("target (issue 14): >= \(BenchTable.format(Self.target, decimals: 1))x: " + (ratio >= Self.target ? "met" : "NOT met"))
        }
        if !problems.isEmpty {
            lines.append("")
            lines.append("PROBLEMS:")
            lines += problems
        }
        return lines.joined(separator: "\n")
    }
}
