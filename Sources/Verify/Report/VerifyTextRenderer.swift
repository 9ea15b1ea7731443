/// The terminal summary of a verify run: one line per account, totals, then the first
/// discrepancies in full (all of them are in the JSON and HTML reports).
public struct VerifyTextRenderer: Sendable {
    public var discrepancyLimit: Int

    public init(discrepancyLimit: Int = 25) {
        self.discrepancyLimit = discrepancyLimit
    }

    static let columns: [(String, Discrepancy.Kind?)] = [
        ("missing", .missing), ("altered", .altered), ("extra", .extra), ("flags", .flagsDiffer), ("dates", .dateDiffers),
    ]

    public func render(_ report: VerifyReport) -> String {
        var rows: [[String]] = [["account", "folders", "messages", "matched"] + Self.columns.map(\.0) + ["other", "result"]]
        for account in report.accounts {
            let other = account.discrepancies.filter { kind in !Self.columns.contains { $0.1 == kind.kind } }.count
            rows.append(
                [account.account, "\(account.folders.count)", "\(account.sourceMessages)", "\(account.matched)"]
                    + Self.columns.map { "\(account.count($0.1!))" } + ["\(other)", verdict(account)])
        }
        var lines = table(rows)
        let all = report.accounts.flatMap { account in account.discrepancies.map { (account.account, $0) } }
        lines.append("")
        if report.isIdentical {
            lines.append("Verified: every message is on the destination with the same bytes, flags and date.")
        } else {
            lines.append(
                "\(report.count(.missing)) missing, \(report.count(.altered)) altered, \(report.count(.extra)) extra, "
                    + "\(report.count(.flagsDiffer)) with other flags, \(report.count(.dateDiffers)) with another date, "
                    + "\(report.count(.folderMissing)) folders missing, \(report.count(.subscriptionDiffers)) subscriptions differ.")
            for (account, discrepancy) in all.prefix(discrepancyLimit) {
                lines.append("  \(account): \(describe(discrepancy))")
            }
            if all.count > discrepancyLimit {
                lines.append("  … and \(all.count - discrepancyLimit) more (all of them in --json and --html reports)")
            }
        }
        for account in report.accounts where account.error != nil {
            lines.append("  \(account.account): not verified: \(account.error!)")
        }
        return lines.joined(separator: "\n")
    }

    private func verdict(_ account: AccountVerification) -> String {
        if account.error != nil { return "NOT VERIFIED" }
        if !account.isIntact { return "LOSS" }
        return account.isIdentical ? "OK" : "DIFFERS"
    }

    func describe(_ discrepancy: Discrepancy) -> String {
        let side = discrepancy.source ?? discrepancy.destination
        var text = "\(discrepancy.kind.rawValue)"
        if let source = discrepancy.source, let destination = discrepancy.destination {
            text += " \(source.folder) → \(destination.folder)"
        } else if let side {
            text += " in \(side.folder)"
        }
        if let uid = side?.uid { text += " UID \(uid)" }
        if let destinationUID = discrepancy.destination?.uid, discrepancy.source?.uid != nil, destinationUID != side?.uid {
            text += "→\(destinationUID)"
        }
        if let id = side?.messageID { text += " \(id)" }
        if let subject = side?.subject { text += " \"\(subject)\"" }
        if let size = side?.size { text += " \(size) bytes" }
        return text + ": \(discrepancy.detail)"
    }

    private func table(_ rows: [[String]]) -> [String] {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == 0 ? cell.padding(widths[index]) : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
