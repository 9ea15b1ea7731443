#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MailModel
import Migration
import SyncEngine

/// Shows a run's progress: on a terminal, one live line per running account (messages,
/// bytes, rate, ETA), redrawn at most ten times a second; otherwise a log line per account
/// every `logInterval` and one per finished folder. Thread-safe: events come from many tasks.
final class SyncProgressDisplay: SyncObserver, @unchecked Sendable {
    private struct AccountProgress {
        var started = Date()
        var folders = 0
        var foldersDone = 0
        var estimate: Int?
        var planned = 0
        var messages = 0
        var bytes = 0
        var lastLog = Date()
    }

    private let lock = NSLock()
    private let isTerminal: Bool
    private let quiet: Bool
    private let logInterval: TimeInterval
    private var accounts: [String: AccountProgress] = [:]
    private var order: [String] = []
    private var drawnLines = 0
    private var lastDraw = Date.distantPast
    private let output: FileHandle

    /// In a dry run the plan is printed at the end; per-folder lines would only repeat it.
    private let dryRun: Bool

    init(quiet: Bool, dryRun: Bool = false, isTerminal: Bool = isatty(STDERR_FILENO) == 1, logInterval: TimeInterval = 10) {
        self.quiet = quiet
        self.dryRun = dryRun
        self.isTerminal = isTerminal
        self.logInterval = logInterval
        self.output = FileHandle.standardError
    }

    func handle(_ event: SyncEvent) {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .accountPlanned(let account, let folders, let estimate):
            if accounts[account] == nil { order.append(account) }
            accounts[account] = AccountProgress(folders: folders, estimate: estimate)
        case .folderPlanned(let account, _, let toCopy, _):
            accounts[account]?.planned += toCopy
        case .progressed(let account, let messages, let bytes):
            accounts[account]?.messages += messages
            accounts[account]?.bytes += bytes
        case .folderFinished(let account, let report):
            accounts[account]?.foldersDone += 1
            if !isTerminal, !dryRun, report.copied > 0 || !report.isComplete {
                write("\(account): \(report.sourceFolder) → \(report.destinationFolder): \(report.copied) copied"
                    + (report.failures.isEmpty ? "" : ", \(report.failures.count) failed") + (report.error.map { ", \($0)" } ?? ""))
            }
        case .retrying(let account, let folder, let attempt, let reason):
            clearTerminalBlock()
            write("\(account): \(folder): \(reason); retrying (attempt \(attempt))")
        case .accountFinished(let report):
            clearTerminalBlock()
            if let index = order.firstIndex(of: report.account) { order.remove(at: index) }
            accounts[report.account] = nil
        }
        render(force: false)
    }

    /// The progress line of one account.
    private func line(_ account: String, _ progress: AccountProgress) -> String {
        let elapsed = Date().timeIntervalSince(progress.started)
        let total = max(progress.estimate ?? progress.planned, progress.planned, progress.messages)
        var text = "\(account): \(progress.messages)"
        if total > 0 { text += "/\(total)" }
        text += " msgs, \(ByteFormatting.size(progress.bytes)), \(ByteFormatting.rate(bytes: progress.bytes, seconds: elapsed))"
        text += ", folders \(progress.foldersDone)/\(progress.folders)"
        if total > progress.messages, progress.messages > 0, elapsed > 1 {
            let remaining = Double(total - progress.messages) * elapsed / Double(progress.messages)
            text += ", ETA \(ByteFormatting.duration(remaining))"
        }
        return text
    }

    private func render(force: Bool) {
        let now = Date()
        if isTerminal {
            guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)A" : ""
            for account in order { if let progress = accounts[account] { text += "\r\u{1B}[2K" + line(account, progress) + "\n" } }
            drawnLines = order.count
            output.write(Data(text.utf8))
        } else {
            for account in order {
                guard let progress = accounts[account], now.timeIntervalSince(progress.lastLog) >= logInterval else { continue }
                accounts[account]?.lastLog = now
                write(line(account, progress))
            }
        }
    }

    private func clearTerminalBlock() {
        guard isTerminal, drawnLines > 0 else { return }
        output.write(Data(("\u{1B}[\(drawnLines)A" + String(repeating: "\r\u{1B}[2K\n", count: drawnLines) + "\u{1B}[\(drawnLines)A").utf8))
        drawnLines = 0
    }

    private func write(_ line: String) {
        output.write(Data((line + "\n").utf8))
    }
}
