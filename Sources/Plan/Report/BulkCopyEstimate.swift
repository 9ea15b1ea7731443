import MailModel

/// How long the first full copy of every account should take, and what the figure rests on:
/// the old server's read rate measured by the plan's timed sample (else the benchmark's
/// rate), spread over the sync's parallel accounts.
public struct BulkCopyEstimate: Codable, Sendable, Equatable {
    public var seconds: Double
    /// Everything to copy: the accounts as read on the old server.
    public var bytes: Int
    public var messages: Int
    /// One connection's rate: measured by the sample, or the benchmark's.
    public var bytesPerSecond: Double
    public var messagesPerSecond: Double
    /// Accounts copied at once ([sync] jobs, at most the accounts).
    public var parallel: Int
    /// Whether the rate was measured on the old server (false: the benchmark's, see `assumptions`).
    public var measured: Bool
    /// What the figure assumes, in words, for the report.
    public var assumptions: [String]

    public init(seconds: Double, bytes: Int, messages: Int, bytesPerSecond: Double, messagesPerSecond: Double, parallel: Int, measured: Bool,
                assumptions: [String]) {
        self.seconds = seconds
        self.bytes = bytes
        self.messages = messages
        self.bytesPerSecond = bytesPerSecond
        self.messagesPerSecond = messagesPerSecond
        self.parallel = parallel
        self.measured = measured
        self.assumptions = assumptions
    }

    /// Each account takes its bytes (or its messages, when they are many and small) at one
    /// connection's rate; `parallel` connections at once are never faster than the biggest
    /// account or than the total spread evenly.
    public static func seconds(accounts: [(messages: Int, bytes: Int)], parallel: Int, bytesPerSecond: Double, messagesPerSecond: Double) -> Double {
        guard bytesPerSecond > 0, messagesPerSecond > 0, !accounts.isEmpty else { return 0 }
        let times = accounts.map { max(Double($0.bytes) / bytesPerSecond, Double($0.messages) / messagesPerSecond) }
        let lanes = Double(max(1, min(parallel, accounts.count)))
        return max(times.reduce(0, +) / lanes, times.max() ?? 0)
    }

    /// The finding for the report: information for scheduling the presync, never a blocker;
    /// a warning when the sample failed, so the figure is only the benchmark's.
    public func finding(sampleFailed: Bool) -> PlanFinding {
        let bound = measured ? "at least " : ""
        let message = "the bulk copy of \(ByteFormatting.size(bytes)) (\(messages) messages) should take \(bound)\(Self.format(seconds)): "
            + assumptions.joined(separator: "; ")
        guard sampleFailed else { return PlanFinding(area: "timing", subject: "bulk copy", severity: .ok, message: message) }
        return PlanFinding(area: "timing", subject: "bulk copy", severity: .warning, message: message,
                           action: "Check that the sampled accounts can be read (see the accounts findings) and run the plan again for a measured rate.")
    }

    /// `40 s`, `12 min`, `3.5 h`.
    public static func format(_ seconds: Double) -> String {
        if seconds < 90 { return "\(FreezeEstimate.format(seconds)) s" }
        if seconds < 5400 { return "\(Int((seconds / 60).rounded())) min" }
        return "\(ByteFormatting.oneDecimal(seconds / 3600)) h"
    }
}
