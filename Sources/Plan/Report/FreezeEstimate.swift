import Foundation
import MailModel
import Migration

/// How long the cutover's freeze should last (from the hold to the switch: mail is held on
/// the old server and no user can reach a mailbox), and what the figure rests on. The final
/// delta scans every account once more and copies what arrived since the last presync round;
/// the hold's and the relay's Postfix reloads come on top. It carries the bulk copy's
/// estimate too, which rests on the same sample.
public struct FreezeEstimate: Codable, Sendable, Equatable {
    /// Every account scanned once, `parallel` at a time: the timed sample's incremental
    /// passes, or without a sample the accounts check's reads.
    public var scanSeconds: Double
    /// The messages the final delta copies.
    public var copySeconds: Double
    /// The hold's and the relay's reloads on the old Postfix.
    public var reloadSeconds: Double
    public var totalSeconds: Double { scanSeconds + copySeconds + reloadSeconds }
    /// What the figure assumes, in words, for the report.
    public var assumptions: [String]

    /// The copy rates without a sample, over IMAP into Dovecot and Maildir to Maildir: the
    /// rates docs/benchmarks.md records for each path, which the estimate says it used.
    public static let imapRate = (messagesPerSecond: 830.0, bytesPerSecond: 54_000_000.0)
    public static let maildirRate = (messagesPerSecond: 1490.0, bytesPerSecond: 97_000_000.0)
    /// The hold's and the relay's reloads of the old Postfix together, as docs/benchmarks.md's
    /// cutover section records them: a plan may not reload a production Postfix to time it.
    public static let reloads = 0.5

    /// The first full copy of every account; nil without an estimate.
    public var bulkCopy: BulkCopyEstimate?
    /// Why the timed sample gave no figures (off, failed, read nothing); nil when it measured.
    public var sampleFallback: String?
    /// Whether the sample was asked for and failed (then the findings are warnings).
    public var sampleFailed: Bool

    public init(scanSeconds: Double, copySeconds: Double, reloadSeconds: Double, assumptions: [String], bulkCopy: BulkCopyEstimate? = nil,
                sampleFallback: String? = nil, sampleFailed: Bool = false) {
        self.scanSeconds = scanSeconds
        self.copySeconds = copySeconds
        self.reloadSeconds = reloadSeconds
        self.assumptions = assumptions
        self.bulkCopy = bulkCopy
        self.sampleFallback = sampleFallback
        self.sampleFailed = sampleFailed
    }

    /// The estimate from the accounts as read on the old server and, for the accounts the
    /// timed sample measured, their incremental pass and read rate. nil when no account was
    /// read. `deltaMessages` is the cutover's presync `small_delta`: presync rounds repeat
    /// until one copies at most that many messages, so the final delta copies about as many.
    public static func estimate(accounts: [AccountPlan], parallel: Int, deltaMessages: Int, maildirDestination: Bool) -> FreezeEstimate? {
        let read = accounts.filter { $0.readSeconds != nil }
        guard !read.isEmpty else { return nil }
        let lanes = max(1, min(parallel, read.count))
        let rate = SampleRate(accounts: read)
        let benchmark = maildirDestination ? maildirRate : imapRate
        let path = "the \(maildirDestination ? "Maildir" : "IMAP") path's rate in docs/benchmarks.md"
        // The scan: each account's incremental pass as the sample timed it (the others at the
        // sample's average: the largest were sampled, so this errs long); without a sample,
        // the accounts check's full read of each account.
        var times = read.compactMap(\.readSeconds)
        var scanAssumption = "scan: \(read.count) account\(read.count == 1 ? "" : "s") read on the old server just now in \(format(times.reduce(0, +))) s in all, \(lanes) at a time ([sync] jobs)"
        if let rate, let average = rate.incrementalAverage {
            times = read.map { $0.sample?.incrementalSeconds ?? average }
            let others = read.count - rate.incrementalCount
            scanAssumption = "scan: an incremental pass (login, folder list, every folder's UIDs and flags: the final delta when nothing changed) "
                + "timed on \(rate.incrementalCount) sampled account\(rate.incrementalCount == 1 ? "" : "s"), \(format(average)) s on average"
                + (others > 0 ? "; \(others == 1 ? "the other account" : "the other \(others)") counted at that average (the largest were sampled)" : "")
                + ", \(lanes) at a time ([sync] jobs)"
        }
        let scan = max(times.reduce(0, +) / Double(lanes), times.max() ?? 0)
        let messages = read.compactMap(\.sourceMessages).reduce(0, +)
        let bytes = read.compactMap(\.sourceBytes).reduce(0, +)
        let average = messages > 0 ? Double(bytes) / Double(messages) : 0
        let perSecond = rate.map { (messagesPerSecond: $0.messagesPerSecond, bytesPerSecond: $0.bytesPerSecond) } ?? benchmark
        let rateText = "\(Int(perSecond.messagesPerSecond)) messages/s or \(ByteFormatting.size(Int(perSecond.bytesPerSecond)))/s"
        let copy = max(Double(deltaMessages) / perSecond.messagesPerSecond, Double(deltaMessages) * average / perSecond.bytesPerSecond)
        let fallback = SampleRate.fallback(accounts: read)
        var assumptions = [
            scanAssumption,
            "copy: \(deltaMessages) messages of \(ByteFormatting.size(Int(average))) on average (the cutover's presync small_delta: presync rounds repeat until one copies no more), at \(rateText), "
                + (rate == nil ? path : "the old server's read rate the sample measured (a lower bound: the new server's writes are not timed)"),
            "reloads: \(format(reloads)) s for the old Postfix's hold and relay reloads",
        ]
        if let fallback { assumptions.append("no timed sample: \(fallback), so \(path) stands for the copy") }
        if read.count < accounts.count {
            let unread = accounts.count - read.count
            assumptions.append(unread == 1 ? "1 account could not be read and is not counted" : "\(unread) accounts could not be read and are not counted")
        }
        let sizes = read.map { (messages: $0.sourceMessages ?? 0, bytes: $0.sourceBytes ?? 0) }
        var bulkAssumptions: [String]
        if let rate {
            bulkAssumptions = ["the old server was read at \(rateText) over one connection, measured on \(rate.accounts) sampled account\(rate.accounts == 1 ? "" : "s") "
                + "(\(rate.messages) messages, \(ByteFormatting.size(rate.bytes)) in \(format(rate.seconds)) s\(rate.complete ? "" : ", stopped at the time budget and scaled from what was read"))"]
        } else {
            bulkAssumptions = ["at \(rateText), \(path), because no timed sample measured the old server: \(fallback ?? "none")"]
        }
        bulkAssumptions.append("\(lanes) account\(lanes == 1 ? "" : "s") at a time ([sync] jobs), each as fast as one connection")
        if rate != nil { bulkAssumptions.append("a read-only plan cannot time the new server's writes, so this is a lower bound") }
        let bulk = BulkCopyEstimate(seconds: BulkCopyEstimate.seconds(accounts: sizes, parallel: lanes, bytesPerSecond: perSecond.bytesPerSecond,
                                                                      messagesPerSecond: perSecond.messagesPerSecond),
                                    bytes: bytes, messages: messages, bytesPerSecond: perSecond.bytesPerSecond,
                                    messagesPerSecond: perSecond.messagesPerSecond, parallel: lanes, measured: rate != nil, assumptions: bulkAssumptions)
        let failed = rate == nil && read.contains { $0.sample?.error != nil }
        return FreezeEstimate(scanSeconds: scan, copySeconds: copy, reloadSeconds: reloads, assumptions: assumptions, bulkCopy: bulk,
                              sampleFallback: fallback, sampleFailed: failed)
    }

    /// The findings for the report: the bulk copy's, then the freeze's.
    public var findings: [PlanFinding] { (bulkCopy.map { [$0.finding(sampleFailed: sampleFailed)] } ?? []) + [finding] }

    /// The finding for the report: ok up to a minute; beyond, users notice, so a warning.
    public var finding: PlanFinding {
        let basis = sampleFallback.map { "; benchmark copy rates, no timed sample: \($0)" } ?? "; scan and rate timed on a sample of the old server"
        let message = "the freeze (mail held, mailboxes closed) should last about \(Self.format(totalSeconds)) s: "
            + "scan \(Self.format(scanSeconds)) s, copy \(Self.format(copySeconds)) s, reloads \(Self.format(reloadSeconds)) s" + basis
        guard totalSeconds > 60 else { return PlanFinding(area: "timing", subject: "freeze", severity: .ok, message: message) }
        return PlanFinding(area: "timing", subject: "freeze", severity: .warning, message: message,
                           action: "Raise [sync] jobs, lower [cutover] presync small_delta, or use the Maildir path (maildir: source and destination), and run the cutover at a quiet hour.")
    }

    static func format(_ seconds: Double) -> String {
        seconds < 10 ? String(format: "%.1f", seconds) : String(Int(seconds.rounded()))
    }
}
