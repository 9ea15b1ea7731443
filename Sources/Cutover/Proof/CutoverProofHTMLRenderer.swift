import MailModel

/// A self-contained page a person reads: the verdict and why, the totals, the timeline, the
/// logs read, then the recipients that need a look (unaccounted, queued, duplicated) before
/// the full table. No script; the drill-down is `<details>`.
public struct CutoverProofHTMLRenderer: Sendable {
    public init() {}

    public func render(_ report: CutoverProofReport) -> String {
        let verdict: String
        switch report.verdict {
        case .proven: verdict = "proven: every message accounted for"
        case .pending: verdict = "pending: nothing lost, some mail still queued"
        case .failed: verdict = "FAILED"
        }
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>mailferry cutover proof</title>
            <style>\(Self.style)</style></head><body>
            <h1 class="\(report.verdict == .proven ? "good" : report.verdict == .pending ? "warn" : "bad")">mailferry cutover proof: \(verdict)</h1>
            <p>Messages the old server accepted from \(escape(report.since.description)) to \(escape(report.until.description)).</p>

            """
        if !report.reasons.isEmpty {
            html += "<ul class=\"reasons\">" + report.reasons.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
        }
        let c = report.counts
        let totals: [(String, Int)] = [
            ("accepted messages", c.accepted), ("recipients", c.recipients), ("delivered new", c.deliveredNew),
            ("delivered old (synced)", c.deliveredOld), ("relayed off-site", c.relayedOffSite), ("local program", c.localProgram),
            ("filtered", c.filtered), ("bounced", c.bounced), ("still queued", c.queued), ("lost", c.lost),
            ("duplicated", c.duplicated), ("refused", c.refused), ("mirror copies", c.mirrorCopies),
        ]
        html += "<table class=\"totals\"><tbody>"
        for (name, value) in totals {
            let bad = (name == "lost" || name == "duplicated") && value > 0
            html += "<tr\(bad ? " class=\"bad\"" : "")><th>\(name)</th><td>\(value)</td></tr>"
        }
        html += "</tbody></table>\n"
        if !report.timeline.isEmpty {
            html += "<h2>Timeline</h2><table><thead><tr><th>phase</th><th>start</th><th>end</th></tr></thead><tbody>"
            for phase in report.timeline {
                html += "<tr><td>\(escape(phase.name))</td><td>\(phase.start)</td><td>\(phase.end.map(\.description) ?? "")</td></tr>"
            }
            html += "</tbody></table>\n"
        }
        html += "<h2>Logs read</h2><table><thead><tr><th>log</th><th>lines</th><th>malformed</th><th>first</th><th>last</th></tr></thead><tbody>"
        for log in report.logs {
            html += "<tr><td>\(escape(log.name))</td><td>\(log.lines)</td><td>\(log.malformed)</td>"
            html += "<td>\(log.first.map(\.description) ?? "")</td><td>\(log.last.map(\.description) ?? "")</td></tr>"
        }
        html += "</tbody></table>\n"
        for note in report.notes { html += "<p class=\"warn\">\(escape(note))</p>\n" }
        if !report.gaps.isEmpty {
            html += "<h2>Gaps</h2><ul>" + report.gaps.map {
                "<li class=\"bad\">\(escape($0.log))\($0.line.map { " line \($0)" } ?? ""): \(escape($0.reason))</li>"
            }.joined() + "</ul>\n"
        }
        if !report.duplicates.isEmpty {
            html += "<h2>Duplicates</h2><ul>" + report.duplicates.map {
                "<li class=\"bad\">\(escape($0.queueID)) → \(escape($0.recipient)): " + $0.deliveries.map(escape).joined(separator: "<br>") + "</li>"
            }.joined() + "</ul>\n"
        }
        let attention = report.entries.filter { $0.outcome.kind == .unaccounted || $0.outcome.kind == .queued }
        if !attention.isEmpty {
            html += "<h2>Needs a look (\(attention.count))</h2>\n" + table(attention, open: true)
        }
        html += "<h2>Every recipient (\(report.entries.count))</h2>\n" + table(report.entries, open: false)
        if !report.refusals.isEmpty {
            html += "<h2>Refused attempts (\(report.refusals.count))</h2><table><tbody>"
            for refusal in report.refusals {
                html += "<tr><td>\(refusal.time)</td><td>\(escape(refusal.stage))</td><td>\(escape(refusal.recipient ?? ""))</td><td>\(escape(refusal.text))</td></tr>"
            }
            html += "</tbody></table>\n"
        }
        return html + "</body></html>\n"
    }

    private func table(_ entries: [ProofEntry], open: Bool) -> String {
        var html = "<table class=\"entries\"><thead><tr><th>accepted</th><th>queue id</th><th>recipient</th><th>outcome</th>"
        html += "<th>folder</th><th>chain</th></tr></thead><tbody>\n"
        for entry in entries {
            let css = entry.outcome.kind == .unaccounted ? "bad" : entry.outcome.kind == .queued ? "warn" : ""
            html += "<tr class=\"\(css)\"><td>\(entry.acceptedAt)</td><td>\(escape(entry.queueID))</td><td>\(escape(entry.recipient))</td>"
            html += "<td>\(entry.outcome.kind.rawValue): \(escape(entry.outcome.detail))</td><td>\(escape(entry.outcome.folders.joined(separator: ", ")))</td>"
            html += "<td><details\(open ? " open" : "")><summary>\(entry.hops.count) lines; Message-ID \(escape(entry.messageID ?? "none"))</summary>"
            html += entry.hops.map(escape).joined(separator: "<br>") + "</details></td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    /// Log text is hostile (addresses, Message-IDs and replies come from senders).
    func escape(_ text: String) -> String { HTMLText.escape(text) }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:2em;max-width:90em}table{border-collapse:collapse;margin:1em 0}\
        th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top;font-size:.9em}\
        .bad{color:#a00}.warn{color:#a60}.good{color:#060}tr.bad td{background:#fee}tr.warn td{background:#ffd}\
        .totals th{font-weight:normal}details summary{cursor:pointer}
        """
}
