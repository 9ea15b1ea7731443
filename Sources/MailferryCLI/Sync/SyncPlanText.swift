import MailModel
import Migration
import SyncEngine

/// The `--dry-run` plan of one account: every source folder, where it goes and why, what
/// would be copied, created and deleted, and what is left out.
struct SyncPlanText {
    var report: AccountReport

    func render() -> String {
        var lines = ["Plan for \(report.account): \(report.source) → \(report.destination)"]
        guard report.problems.isEmpty else {
            lines.append("  The plan is refused; nothing would be written:")
            lines += report.problems.map { "    - \($0)" }
            return lines.joined(separator: "\n")
        }
        var table = TextTable(header: ["  source folder", "destination", "why", "messages", "to copy", "size", "action"])
        for folder in report.folders {
            var actions: [String] = []
            if folder.created { actions.append("create") }
            if folder.copied > 0 { actions.append("copy \(folder.copied)") }
            if folder.deleted > 0 { actions.append("delete \(folder.deleted) extraneous") }
            if let error = folder.error { actions.append("error: \(error)") }
            table.rows.append([
                "  " + folder.sourceFolder, folder.destinationFolder, folder.mappingReason, "\(folder.sourceMessages)",
                "\(folder.copied)", ByteFormatting.size(folder.bytesCopied), actions.isEmpty ? "nothing" : actions.joined(separator: ", "),
            ])
        }
        lines.append(table.render())
        for skipped in report.skippedFolders {
            lines.append("  left out: \(skipped.folder) (\(skipped.reason))")
        }
        if report.subscriptionsAdded > 0 {
            lines.append("  would subscribe to \(report.subscriptionsAdded) folders on the destination")
        }
        if let error = report.error { lines.append("  stopped: \(error)") }
        return lines.joined(separator: "\n")
    }
}
