import Foundation
import MailModel
import Migration

/// How long the cutover's freeze should last (from the hold to the switch: mail is held on
/// the old server and no user can reach a mailbox), and what the figure rests on. The final
/// delta scans every account once more and copies what arrived since the last presync round;
/// the hold's and the relay's Postfix reloads come on top.
public struct FreezeEstimate: Codable, Sendable, Equatable {
    /// Every account scanned once, `parallel` at a time, as the accounts check read them.
    public var scanSeconds: Double
    /// The messages the final delta copies.
    public var copySeconds: Double
    /// The hold's and the relay's reloads on the old Postfix.
    public var reloadSeconds: Double
    public var totalSeconds: Double { scanSeconds + copySeconds + reloadSeconds }
    /// What the figure assumes, in words, for the report.
    public var assumptions: [String]

    /// The final delta's copy rates, over IMAP into Dovecot and Maildir to Maildir: the
    /// estimate cannot copy on the new server in a read-only plan, so it takes the rates
    /// docs/benchmarks.md records for each path, and says so in its assumptions.
    public static let imapRate = (messagesPerSecond: 830.0, bytesPerSecond: 54_000_000.0)
    public static let maildirRate = (messagesPerSecond: 1490.0, bytesPerSecond: 97_000_000.0)
    /// The hold's and the relay's reloads of the old Postfix together, as docs/benchmarks.md's
    /// cutover section records them: a plan may not reload a production Postfix to time it.
    public static let reloads = 0.5

    public init(scanSeconds: Double, copySeconds: Double, reloadSeconds: Double, assumptions: [String]) {
        self.scanSeconds = scanSeconds
        self.copySeconds = copySeconds
        self.reloadSeconds = reloadSeconds
        self.assumptions = assumptions
    }

    /// The estimate from the accounts as read on the old server. nil when no account was
    /// read. `deltaMessages` is the cutover's presync `small_delta`: presync rounds repeat
    /// until one copies at most that many messages, so the final delta copies about as many.
    public static func estimate(accounts: [AccountPlan], parallel: Int, deltaMessages: Int, maildirDestination: Bool) -> FreezeEstimate? {
        let read = accounts.filter { $0.readSeconds != nil }
        guard !read.isEmpty else { return nil }
        let times = read.compactMap(\.readSeconds)
        let lanes = Double(max(1, min(parallel, read.count)))
        // A greedy schedule of `lanes` workers is never shorter than the longest account or
        // than the total spread evenly.
        let scan = max(times.reduce(0, +) / lanes, times.max() ?? 0)
        let messages = read.compactMap(\.sourceMessages).reduce(0, +)
        let bytes = read.compactMap(\.sourceBytes).reduce(0, +)
        let average = messages > 0 ? Double(bytes) / Double(messages) : 0
        let rate = maildirDestination ? maildirRate : imapRate
        let copy = max(Double(deltaMessages) / rate.messagesPerSecond, Double(deltaMessages) * average / rate.bytesPerSecond)
        var assumptions = [
            "scan: \(read.count) account\(read.count == 1 ? "" : "s") read on the old server just now in \(format(times.reduce(0, +))) s in all, \(Int(lanes)) at a time ([sync] jobs)",
            "copy: \(deltaMessages) messages of \(ByteFormatting.size(Int(average))) on average (the cutover's presync small_delta: presync rounds repeat until one copies no more), at \(Int(rate.messagesPerSecond)) messages/s or \(ByteFormatting.size(Int(rate.bytesPerSecond)))/s, the \(maildirDestination ? "Maildir" : "IMAP") path's rate in docs/benchmarks.md",
            "reloads: \(format(reloads)) s for the old Postfix's hold and relay reloads",
        ]
        if read.count < accounts.count {
            let unread = accounts.count - read.count
            assumptions.append(unread == 1 ? "1 account could not be read and is not counted" : "\(unread) accounts could not be read and are not counted")
        }
        return FreezeEstimate(scanSeconds: scan, copySeconds: copy, reloadSeconds: reloads, assumptions: assumptions)
    }

    /// The finding for the report: ok up to a minute; beyond, users notice, so a warning.
    public var finding: PlanFinding {
        let message = "the freeze (mail held, mailboxes closed) should last about \(Self.format(totalSeconds)) s: "
            + "scan \(Self.format(scanSeconds)) s, copy \(Self.format(copySeconds)) s, reloads \(Self.format(reloadSeconds)) s"
        guard totalSeconds > 60 else { return PlanFinding(area: "timing", subject: "freeze", severity: .ok, message: message) }
        return PlanFinding(area: "timing", subject: "freeze", severity: .warning, message: message,
                           action: "Raise [sync] jobs, lower [cutover] presync small_delta, or use the Maildir path (maildir: source and destination), and run the cutover at a quiet hour.")
    }

    static func format(_ seconds: Double) -> String {
        seconds < 10 ? String(format: "%.1f", seconds) : String(Int(seconds.rounded()))
    }
}
