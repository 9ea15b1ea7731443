import MailModel
import Foundation
import Migration
import SyncEngine

/// The end of a sync run: a table per account for people, a JSON document for machines, and
/// the exit status that sums them up.
struct SyncSummary: Encodable {
    var version = MailferryVersion.string
    var dryRun: Bool
    var accounts: [AccountReport]
    /// Over every account: messages left for a later run (`--settle`), and destination
    /// folders that held only the mirror's copies and took the source's UIDVALIDITY (each
    /// folder's report has its own `deferred` and `adoptedMirrorCopies`).
    var deferred: Int
    var adoptedFolders: Int
    var exitCode: Int32

    init(accounts: [AccountReport], dryRun: Bool) {
        self.accounts = accounts
        self.dryRun = dryRun
        self.deferred = accounts.map(\.deferred).reduce(0, +)
        self.adoptedFolders = accounts.map(\.adoptedFolders).reduce(0, +)
        self.exitCode = ExitStatus.worst(accounts.map(SyncSummary.status)).rawValue
    }

    static func status(of report: AccountReport) -> ExitStatus { ExitStatus(report.outcome) }

    var status: ExitStatus { ExitStatus(rawValue: exitCode) ?? .internalError }

    /// One row per account, then the problems and failures spelled out. A dry run starts with
    /// each account's plan.
    func text() -> String {
        let plans = dryRun ? accounts.map { SyncPlanText(report: $0).render() + "\n" } : []
        return (plans + [summaryText()]).joined(separator: "\n")
    }

    private func summaryText() -> String {
        // A dry run changes no flags, so it has no "flags" column.
        var header = ["account", "folders", dryRun ? "to copy" : "copied", "unchanged"]
        if !dryRun { header.append("flags") }
        var table = TextTable(header: header + ["failed", "bytes", "time", "result"])
        for report in accounts {
            var row = [report.account, "\(report.folders.count)", "\(report.copied)", "\(report.unchanged)"]
            if !dryRun { row.append("\(report.flagsUpdated)") }
            table.rows.append(row + [
                Self.failedColumn(report), ByteFormatting.size(report.bytesCopied), ByteFormatting.duration(report.seconds),
                report.outcome.rawValue,
            ])
        }
        var lines = [table.render()]
        for report in accounts {
            if !dryRun {
                for problem in report.problems { lines.append("\(report.account): plan refused: \(problem)") }
            }
            if let error = report.error { lines.append("\(report.account): \(error)") }
            if let previous = report.previousDestination {
                lines.append("\(report.account): the state directory described another destination (\(previous)); "
                    + "its records were dropped and every message was looked for on this one")
            }
            for folder in report.folders {
                if let error = folder.error { lines.append("\(report.account): \(folder.sourceFolder): \(error)") }
                if folder.restored > 0 {
                    lines.append("\(report.account): \(folder.destinationFolder): \(folder.restored) earlier copies were gone from the destination; \(dryRun ? "would copy" : "copied") again")
                }
                if folder.keptDeletions > 0 {
                    lines.append("\(report.account): \(folder.destinationFolder): \(folder.keptDeletions) copies deleted on the destination left deleted (--keep-destination-deletions)")
                }
                if folder.deferred > 0 {
                    lines.append("\(report.account): \(folder.sourceFolder): \(folder.deferred) message\(folder.deferred == 1 ? "" : "s") "
                        + "delivered in the settle window left for a later run (Courier has not numbered them yet)")
                }
                if let copies = folder.adoptedMirrorCopies {
                    lines.append("\(report.account): \(folder.destinationFolder): held only the mirror's verified copies (\(copies)); "
                        + "it took the source's UIDVALIDITY and the copies UIDs above the source's (`mirror purge` removes them)")
                }
                if folder.deleted > 0 {
                    lines.append("\(report.account): \(folder.destinationFolder): \(dryRun ? "would delete" : "deleted") \(folder.deleted) extraneous copies")
                }
                for failure in folder.failures {
                    var line = "\(report.account): \(failure.sourceFolder) UID \(failure.uid)"
                    if let subject = failure.subject { line += " \"\(subject)\"" }
                    if let id = failure.messageID { line += " \(id)" }
                    lines.append(line + " (\(ByteFormatting.size(failure.size))): \(failure.reason)")
                }
                let keywords = Dictionary(grouping: folder.refusedKeywords, by: \.keyword)
                for (keyword, messages) in keywords.sorted(by: { $0.key.stringValue < $1.key.stringValue }) {
                    lines.append("\(report.account): \(folder.sourceFolder): the destination refused keyword \(keyword) on \(messages.count) messages")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension SyncSummary {
    /// Messages refused, and folders refused as a whole: "0", "3", "2 + 1 folder".
    static func failedColumn(_ report: AccountReport) -> String {
        let folders = report.failedFolders
        guard folders > 0 else { return "\(report.failed)" }
        return "\(report.failed) + \(folders) folder\(folders == 1 ? "" : "s")"
    }

    func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
