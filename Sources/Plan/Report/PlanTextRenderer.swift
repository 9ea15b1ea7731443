import Foundation
import MailferryConfig
import Migration

/// The report for a terminal: blockers first, then warnings, then what is fine, each with
/// what to do; then the schedule.
public struct PlanTextRenderer: Sendable {
    public init() {}

    public func render(_ report: PlanReport) -> String {
        var lines = ["mailferry plan for \(report.subject): "
            + "\(report.count(.blocker)) blocker\(report.count(.blocker) == 1 ? "" : "s"), "
            + "\(report.count(.warning)) warning\(report.count(.warning) == 1 ? "" : "s"), \(report.count(.ok)) ok"]
        for severity in PlanFinding.Severity.allCases.reversed() {
            let findings = report.findings.filter { $0.severity == severity }
            guard !findings.isEmpty else { continue }
            lines.append("")
            for finding in findings {
                lines.append("\(Self.label(severity)) [\(finding.area)] \(finding.subject): \(finding.message)")
                if let action = finding.action { lines.append("    → \(action)") }
            }
        }
        if !report.accounts.isEmpty {
            let read = report.accounts.filter { $0.sourceError == nil }
            let messages = read.compactMap(\.sourceMessages).reduce(0, +)
            let bytes = read.compactMap(\.sourceBytes).reduce(0, +)
            lines.append("")
            lines.append("Accounts: \(report.accounts.count), \(read.count) read on the old server: \(messages) messages, "
                + String(format: "%.1f MB", Double(bytes) / 1_000_000))
        }
        if let bulk = report.freeze?.bulkCopy {
            lines.append("")
            lines.append("Bulk copy (first sync of every account): \(bulk.measured ? "at least" : "about") \(BulkCopyEstimate.format(bulk.seconds)), assuming")
            lines += bulk.assumptions.map { "  - \($0)" }
        }
        if let freeze = report.freeze {
            lines.append("")
            lines.append("Freeze (hold to switch): about \(FreezeEstimate.format(freeze.totalSeconds)) s, assuming")
            lines += freeze.assumptions.map { "  - \($0)" }
        }
        if let skipped = report.dnsSkipped {
            lines.append("")
            lines.append("DNS not checked: \(skipped)")
        }
        if let schedule = report.schedule {
            lines.append("")
            lines.append("Drain after the switch (longest TTL): \(schedule.longestTTL) s" + (schedule.longestTTLRecord.map { " (\($0))" } ?? ""))
            var decommission = "Decommission the old server: \(schedule.decommissionAfterSeconds / 3600) h after the switch"
            if let date = schedule.decommissionDate { decommission += " (\(ISO8601DateFormatter().string(from: date)))" }
            lines.append(decommission)
        }
        return lines.joined(separator: "\n")
    }

    static func label(_ severity: PlanFinding.Severity) -> String {
        switch severity {
        case .ok: return "ok     "
        case .warning: return "WARNING"
        case .blocker: return "BLOCKER"
        }
    }
}
