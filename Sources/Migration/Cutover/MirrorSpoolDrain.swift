import Cutover
import Foundation
import MailSpool

/// The purge's precondition: the mirror's spool holds no copy still to deliver. A copy the
/// mirror relays after the purge lands in a new mailbox the purge has already cleaned, beside
/// the original the final delta brings: a duplicate nobody removes. In the hold the old
/// Postfix sends no more copies (bcc off, queued ones discarded), so the spool drains by
/// itself within moments unless the new server refuses them.
enum MirrorSpoolDrain {
    /// Entries (queued or held) with a recipient not yet delivered or failed. Read-only, safe
    /// while the mirror runs (as `mailferry mirror queue`).
    static func pending(spool path: String) throws -> [SpoolEntry] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CutoverError.file(host: "new (local)", path: path, reason: "the mirror's spool does not exist")
        }
        return try MailSpool(directory: path).entries().filter { !$0.isFinished }
    }

    /// Waits at most `timeout` on `clock` for the spool to drain; nil when it did, else why not.
    static func wait<C: Clock>(
        spool path: String, timeout: Duration, interval: Duration = .milliseconds(100), clock: C
    ) async throws -> String? where C.Duration == Duration {
        var left = try pending(spool: path)
        let deadline = clock.now.advanced(by: timeout)
        while !left.isEmpty, clock.now < deadline {
            try await clock.sleep(until: clock.now.advanced(by: interval), tolerance: nil)
            left = try pending(spool: path)
        }
        guard !left.isEmpty else { return nil }
        let named = left.prefix(5).map { entry in
            let recipients = entry.pendingRecipients.map { index in
                let reply = entry.lastReplies.indices.contains(index) ? entry.lastReplies[index] : ""
                return entry.envelope.recipients[index] + (reply.isEmpty ? "" : " (\(reply))")
            }
            return "\(entry.id)\(entry.held ? " held" : "") to " + recipients.joined(separator: ", ")
        }
        return "the mirror's spool \(path) still holds \(left.count) cop\(left.count == 1 ? "y" : "ies") not delivered to the new server after "
            + "\(timeout.components.seconds) s: " + named.joined(separator: "; ") + (left.count > 5 ? "; ..." : "")
            + ". Purged now, they would arrive after the purge as duplicates of what the final delta copies: staying in the hold. "
            + "See `mailferry mirror queue --spool \(path)` (is `mailferry mirror` running? does the new server refuse them?); "
            + "once they are delivered, `cutover run` again"
    }
}
