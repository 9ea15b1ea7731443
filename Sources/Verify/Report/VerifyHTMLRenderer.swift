import MailModel

/// A self-contained HTML page of a verify run that an admin can open, read and forward:
/// scope and time at the top, a totals table per account, and per account a drill-down list
/// of every discrepancy with both sides' folder, UID, Message-ID, Subject, size and date.
public struct VerifyHTMLRenderer: Sendable {
    public init() {}

    public func render(_ report: VerifyReport) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>mailferry verify report</title>
            <style>\(Self.style)</style></head><body>
            <h1>mailferry verify: \(report.isIdentical ? "identical" : report.isIntact ? "no loss, some differences" : "LOSS FOUND")</h1>
            <p class="scope">Checked from \(escape(report.scope.startedAt)) to \(escape(report.scope.finishedAt)) with mailferry \
            \(escape(report.scope.toolVersion)). Every message compared by the SHA-256 of its exact bytes\
            \(report.scope.deep ? ", every body read on both sides (--deep)" : "; fingerprints recorded by sync reused for unchanged messages")\
            \(report.scope.expectSameUIDs ? "; UIDs and UIDVALIDITY required to be equal" : "").</p>
            <table class="totals"><thead><tr><th>account</th><th>source → destination</th><th>folders</th><th>messages</th>\
            <th>matched</th>
            """
        for (name, _) in VerifyTextRenderer.columns { html += "<th>\(name)</th>" }
        html += "<th>other</th><th>result</th></tr></thead><tbody>\n"
        for account in report.accounts {
            let other = account.discrepancies.filter { kind in !VerifyTextRenderer.columns.contains { $0.1 == kind.kind } }.count
            let verdict = account.error != nil ? "not verified" : !account.isIntact ? "LOSS" : account.isIdentical ? "OK" : "differs"
            let css = account.error != nil || !account.isIntact ? "bad" : account.isIdentical ? "good" : "warn"
            html += "<tr class=\"\(css)\"><td><a href=\"#\(anchor(account.account))\">\(escape(account.account))</a></td>"
            html += "<td>\(escape(account.source)) → \(escape(account.destination))</td><td>\(account.folders.count)</td>"
            html += "<td>\(account.sourceMessages)</td><td>\(account.matched)</td>"
            for (_, kind) in VerifyTextRenderer.columns { html += "<td>\(account.count(kind!))</td>" }
            html += "<td>\(other)</td><td class=\"verdict\">\(verdict)</td></tr>\n"
        }
        html += "</tbody></table>\n"
        for account in report.accounts { html += section(account) }
        html += "</body></html>\n"
        return html
    }

    private func section(_ account: AccountVerification) -> String {
        var html = "<section id=\"\(anchor(account.account))\"><h2>\(escape(account.account))</h2>\n"
        if let error = account.error { html += "<p class=\"bad\">Not verified: \(escape(error))</p>\n" }
        html += "<details\(account.discrepancies.isEmpty ? "" : " open")><summary>\(account.folders.count) folders, "
        html += "\(account.discrepancies.count) discrepancies</summary>\n"
        html += "<table class=\"folders\"><thead><tr><th>source folder</th><th>destination folder</th><th>source</th>"
        html += "<th>destination</th><th>matched</th><th>from state</th><th>discrepancies</th></tr></thead><tbody>\n"
        for folder in account.folders {
            html += "<tr\(folder.discrepancies.isEmpty && folder.error == nil ? "" : " class=\"warn\"")>"
            html += "<td>\(escape(folder.sourceFolder))</td><td>\(escape(folder.destinationFolder))</td>"
            html += "<td>\(folder.sourceMessages)</td><td>\(folder.destinationMessages)</td><td>\(folder.matched)</td>"
            html += "<td>\(folder.fingerprintsFromState)</td><td>\(folder.error.map(escape) ?? String(folder.discrepancies.count))</td></tr>\n"
        }
        html += "</tbody></table>\n"
        if !account.discrepancies.isEmpty {
            html += "<table class=\"discrepancies\"><thead><tr><th>kind</th><th>side</th><th>folder</th><th>UID</th>"
            html += "<th>Message-ID</th><th>Subject</th><th>size</th><th>date</th><th>flags</th><th>detail</th></tr></thead><tbody>\n"
            for discrepancy in account.discrepancies { html += rows(discrepancy) }
            html += "</tbody></table>\n"
        }
        return html + "</details></section>\n"
    }

    private func rows(_ discrepancy: Discrepancy) -> String {
        let sides = [("source", discrepancy.source), ("destination", discrepancy.destination)].compactMap { label, side in
            side.map { (label, $0) }
        }
        var html = ""
        for (index, (label, side)) in sides.enumerated() {
            html += "<tr class=\"kind-\(anchor(discrepancy.kind.rawValue))\">"
            if index == 0 {
                html += "<td rowspan=\"\(sides.count)\" class=\"kind\">\(escape(discrepancy.kind.rawValue))</td>"
            }
            html += "<td>\(label)</td><td>\(escape(side.folder))</td><td>\(side.uid.map(String.init) ?? "")</td>"
            html += "<td>\(escape(side.messageID ?? ""))</td><td>\(escape(side.subject ?? ""))</td>"
            html += "<td>\(side.size.map(String.init) ?? "")</td><td>\(side.internalDate.map(Self.isoDate) ?? "")</td>"
            html += "<td>\(escape((side.flags ?? []).joined(separator: " ")))</td>"
            if index == 0 { html += "<td rowspan=\"\(sides.count)\">\(escape(discrepancy.detail))</td>" }
            html += "</tr>\n"
        }
        if sides.isEmpty {
            html += "<tr><td class=\"kind\">\(escape(discrepancy.kind.rawValue))</td><td colspan=\"8\"></td>"
            html += "<td>\(escape(discrepancy.detail))</td></tr>\n"
        }
        return html
    }

    func escape(_ text: String) -> String { HTMLText.escape(text) }

    private func anchor(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    static func isoDate(_ seconds: Int64) -> String { InternalDate(secondsSince1970: seconds).utcString }

    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.5em}
        table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
        th{background:#f3f3f3}tr.good td.verdict{color:#070;font-weight:bold}tr.bad td,p.bad{color:#a00}
        tr.warn td{background:#fff8e6}td.kind{font-weight:bold}.scope{color:#555;max-width:60em}
        summary{cursor:pointer;font-weight:bold;margin:.4em 0}
        """
}
