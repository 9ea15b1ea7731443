import Foundation
import MailferryConfig
import MailModel
import Migration

/// A self-contained HTML page of a plan: the verdict, every finding with what to do, the
/// schedule, and the table of DNS records the plan read with their TTLs.
public struct PlanHTMLRenderer: Sendable {
    public init() {}

    public func render(_ report: PlanReport) -> String {
        let verdict = report.worst == .blocker ? "BLOCKERS FOUND" : report.worst == .warning ? "ready, with warnings" : "ready"
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>mailferry plan: \(escape(report.subject))</title>
            <style>\(Self.style)</style></head><body>
            <h1>mailferry plan for \(escape(report.subject)): \(verdict)</h1>
            <p class="scope">Made \(escape(ISO8601DateFormatter().string(from: report.generated))): \
            \(report.count(.blocker)) blockers, \(report.count(.warning)) warnings, \(report.count(.ok)) ok. \
            Read-only: nothing was changed anywhere.</p>

            """
        if let schedule = report.schedule {
            html += "<h2>Schedule</h2><table class=\"schedule\"><tbody>"
            html += "<tr><th>drain after the switch (longest TTL)</th><td>\(schedule.longestTTL) s\(escape(schedule.longestTTLRecord.map { " (\($0))" } ?? ""))</td></tr>"
            html += "<tr><th>margin</th><td>\(schedule.marginSeconds) s</td></tr>"
            html += "<tr><th>decommission after the switch</th><td>\(schedule.decommissionAfterSeconds / 3600) h (at least 5 days, RFC 5321)</td></tr>"
            if let switchAt = schedule.switchAt, let date = schedule.decommissionDate {
                html += "<tr><th>switch</th><td>\(escape(ISO8601DateFormatter().string(from: switchAt)))</td></tr>"
                html += "<tr><th>decommission on</th><td>\(escape(ISO8601DateFormatter().string(from: date)))</td></tr>"
            }
            html += "</tbody></table>\n"
        }
        if let bulk = report.freeze?.bulkCopy {
            html += "<h2>Bulk copy</h2><p>\(bulk.measured ? "At least" : "About") \(escape(BulkCopyEstimate.format(bulk.seconds))) for the first sync of every account, assuming:</p><ul>"
            html += bulk.assumptions.map { "<li>\(escape($0))</li>" }.joined()
            html += "</ul>\n"
        }
        if let freeze = report.freeze {
            html += "<h2>Freeze</h2><p>About \(FreezeEstimate.format(freeze.totalSeconds)) s from the hold to the switch, assuming:</p><ul>"
            html += freeze.assumptions.map { "<li>\(escape($0))</li>" }.joined()
            html += "</ul>\n"
        }
        html += "<h2>Findings</h2><table class=\"findings\"><thead><tr><th>result</th><th>area</th><th>about</th><th>finding</th><th>what to do</th></tr></thead><tbody>\n"
        for finding in report.findings.sorted(by: { $0.severity > $1.severity }) {
            html += "<tr class=\"\(finding.severity.rawValue)\"><td class=\"verdict\">\(finding.severity.rawValue)</td><td>\(escape(finding.area))</td>"
            html += "<td>\(escape(finding.subject))</td><td>\(escape(finding.message))</td><td>\(escape(finding.action ?? ""))</td></tr>\n"
        }
        html += "</tbody></table>\n<h2>DNS records read from the authoritative servers</h2>"
        guard !report.records.isEmpty else {
            let why = report.dnsSkipped ?? "No record was read: the dns findings above say why."
            return html + "<p class=\"none\">None. \(escape(why))</p>\n</body></html>\n"
        }
        html += "<table class=\"records\"><thead><tr><th>name</th><th>type</th><th>value</th><th>TTL (s)</th><th>role</th><th>leads to the old server</th></tr></thead><tbody>\n"
        for record in report.records {
            html += "<tr\(record.pointsToOld ? " class=\"warning\"" : "")><td>\(escape(record.name))</td><td>\(escape(record.type))</td>"
            html += "<td class=\"value\">\(escape(record.value))</td><td>\(record.ttl)</td><td>\(escape(record.role))</td><td>\(record.pointsToOld ? "yes" : "")</td></tr>\n"
        }
        html += "</tbody></table>\n</body></html>\n"
        return html
    }

    func escape(_ text: String) -> String { HTMLText.escape(text) }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}\
        th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}\
        tr.blocker td{background:#fde2e2}tr.warning td{background:#fff4d6}tr.ok td.verdict{color:#176b2c}\
        td.verdict{font-weight:bold}td.value{font-family:monospace;word-break:break-all;max-width:40em}.scope{color:#555}
        """
}
