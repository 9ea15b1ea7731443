public import MailSpool
import SMTPClient

/// What the new server said about the mirrored copies, grouped for a human: every
/// distinct (recipient, verdict, reply) with a count. "new server rejected 3 messages for
/// bob@example.com: 550 5.1.1 user unknown" is a migration bug found before cutover.
public struct MirrorReport: Hashable, Sendable, Codable {
    public struct Group: Hashable, Sendable, Codable {
        /// `rejected` (failed by the new server), `not-sent` (mailferry did not send it: the
        /// new server lacks 8BITMIME, SMTPUTF8 or SIZE), `expired` (never accepted in time),
        /// `deferred` (still in the queue, last reply shown), `failed-later` or
        /// `delayed-later` (accepted, then reported by the new server's notification).
        public var verdict: String
        public var recipient: String
        public var reply: String
        public var messages: Int
    }

    /// Finished messages (every recipient final).
    public var finishedMessages = 0
    /// Recipient copies accepted by the new server.
    public var delivered = 0
    /// Recipient copies refused by the new server, or expired.
    public var failed = 0
    /// Copies the new server accepted and then reported as failed or delayed (its
    /// notifications to the mirror's bounce address).
    public var failedLater = 0
    /// Messages still in the queue, and their recipients still waiting.
    public var queuedMessages = 0
    public var waitingRecipients = 0
    /// Problems, most frequent first.
    public var problems: [Group] = []

    public init(finished: [FinishedRecord], queued: [SpoolEntry], lateFailures: [LateFailure] = []) {
        var counts: [Group: Int] = [:]
        func add(_ verdict: String, _ recipient: String, _ reply: String) {
            counts[Group(verdict: verdict, recipient: recipient, reply: reply, messages: 0), default: 0] += 1
        }
        finishedMessages = finished.count
        for record in finished {
            for recipient in record.recipients {
                switch recipient.state {
                case .delivered: delivered += 1
                case .failed:
                    failed += 1
                    add(Self.verdict(failedWith: recipient.reply), recipient.address, recipient.reply)
                case .deferred, .pending: break
                }
            }
        }
        queuedMessages = queued.count
        for entry in queued {
            for index in entry.pendingRecipients {
                waitingRecipients += 1
                let reply = entry.lastReplies.indices.contains(index) ? entry.lastReplies[index] : ""
                add("deferred", entry.envelope.recipients[index], reply.isEmpty ? "not attempted yet" : reply)
            }
            for index in entry.states.indices where entry.states[index] == .delivered { delivered += 1 }
        }
        for failure in lateFailures {
            switch failure.action {
            case "delivered", "relayed", "expanded": continue
            case "delayed": add("delayed-later", failure.recipient, Self.describe(failure))
            default:
                failedLater += 1
                add("failed-later", failure.recipient, Self.describe(failure))
            }
        }
        problems = counts.map { group, count in
            var group = group
            group.messages = count
            return group
        }.sorted { ($0.messages, $1.recipient, $1.reply) > ($1.messages, $0.recipient, $0.reply) }
    }

    /// Why a copy failed, from the reply recorded for it: `not-sent` when mailferry itself
    /// did not send it (the next hop never saw it), `expired` when it was never accepted in
    /// time, else `rejected` by the new server.
    static func verdict(failedWith reply: String) -> String {
        if reply.hasPrefix(DeliveryOutcome.notSentPrefix) { return "not-sent" }
        return reply.hasPrefix("expired") ? "expired" : "rejected"
    }

    static func describe(_ failure: LateFailure) -> String {
        [failure.status, failure.diagnostic].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// True when the new server refused or never took something.
    public var hasProblems: Bool { !problems.isEmpty }
}
