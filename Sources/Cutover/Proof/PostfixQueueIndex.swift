/// The messages of one Postfix log, each queue id's lines grouped into the queue file's
/// life they belong to, and the attempts the server refused.
public struct PostfixQueueIndex: Sendable {
    public private(set) var messages: [PostfixMessage] = []
    public private(set) var refusals: [ProofRefusal] = []
    /// The message each (host, queue id) is in now; a central log holds several hosts whose
    /// queue ids can coincide.
    private var open: [String: Int] = [:]
    private var lastByHost: [String: Int] = [:]
    /// Every message with the id, whatever the host, for chaining by time.
    private var byQueueID: [String: [Int]] = [:]
    /// smtpd logs a HOLD at the first RCPT as `NOQUEUE: hold:` (the queue file is opened
    /// after the check); the next `client=` of the same process is that message.
    private var pendingHold: Set<String> = []

    /// Lines of a queue id that come within this many seconds after its `removed` belong to
    /// the same message (agents and qmgr write through the log daemon concurrently).
    static let lateLineSeconds: Int64 = 5

    public init(_ scan: MailLogScan) {
        for record in scan.records { take(record) }
    }

    /// The message `queueID` whose life began nearest to `time`, within `toleranceSeconds`.
    public func message(_ queueID: String, near time: LogInstant, toleranceSeconds: Int64) -> PostfixMessage? {
        index(queueID, near: time, toleranceSeconds: toleranceSeconds).map { messages[$0] }
    }

    public func index(_ queueID: String, near time: LogInstant, toleranceSeconds: Int64) -> Int? {
        let limit = toleranceSeconds * 1_000_000
        return (byQueueID[queueID] ?? [])
            .filter { abs(messages[$0].firstSeen.microseconds - time.microseconds) <= limit }
            .min { abs(messages[$0].firstSeen.microseconds - time.microseconds) < abs(messages[$1].firstSeen.microseconds - time.microseconds) }
    }

    private mutating func take(_ record: MailLogRecord) {
        let processKey = "\(record.host ?? "")|\(record.program)|\(record.pid ?? -1)"
        switch record.event {
        case .reject(nil, let stage, let recipient, let text):
            refusals.append(ProofRefusal(time: record.time, host: record.host, queueID: nil, stage: stage, recipient: recipient, text: text))
            return
        case .hold(nil, _):
            pendingHold.insert(processKey)
            return
        default:
            break
        }
        guard let queueID = record.event.queueID else { return }
        let slot = slot(for: queueID, record: record)
        let key = Self.key(record.host, queueID)
        var message = messages[slot]
        switch record.event {
        case .client(_, let client):
            message.origin = "client \(client)"
            if pendingHold.remove(processKey) != nil {
                message.wasHeld = true
                message.onHold = true
            }
        case .pickup(_, let sender):
            message.origin = "local submission from <\(sender)>"
        case .messageID(_, let id):
            message.messageID = id
        case .queued(_, let sender, let size, let recipients):
            if message.queuedAt == nil { message.queuedAt = record.time }
            message.sender = sender
            message.size = size ?? message.size
            message.recipientCount = recipients ?? message.recipientCount
            message.onHold = false
        case .expired:
            message.expired = true
        case .removed(_, let byAdmin):
            message.removedAt = record.time
            message.removedByAdmin = byAdmin
            open[key] = nil
        case .placedOnHold:
            message.wasHeld = true
            message.onHold = true
        case .releasedFromHold:
            message.onHold = false
        case .hold:
            message.wasHeld = true
            message.onHold = true
        case .discard(_, let text):
            message.discarded = text
        case .reject(_, let stage, let recipient, let text):
            refusals.append(ProofRefusal(time: record.time, host: record.host, queueID: queueID, stage: stage, recipient: recipient, text: text))
            if stage != "RCPT" { message.rejected = text }
        case .delivery(_, let delivery):
            message.deliveries.append(PostfixMessage.Attempt(time: record.time, line: record.line, delivery: delivery))
        case .notification(_, let newQueueID, let kind):
            messages[slot] = message
            let target = self.slot(for: newQueueID, record: record)
            if messages[target].origin == nil { messages[target].origin = "\(kind) for \(queueID)" }
            return
        default:
            break
        }
        messages[slot] = message
    }

    /// The message a line of `queueID` belongs to, opening a new one when the id's last
    /// message is gone (or when a line that starts a message comes for an id that has one).
    private mutating func slot(for queueID: String, record: MailLogRecord) -> Int {
        let startsMessage: Bool
        switch record.event {
        case .client, .pickup: startsMessage = true
        default: startsMessage = false
        }
        let key = Self.key(record.host, queueID)
        if let current = open[key] {
            let busy = messages[current].origin != nil || messages[current].queuedAt != nil
            if !(startsMessage && busy) { return current }
        } else if !startsMessage, let last = lastByHost[key], let removed = messages[last].removedAt,
                  record.time.microseconds - removed.microseconds <= Self.lateLineSeconds * 1_000_000 {
            if case .messageID = record.event {} else { return last }
        }
        messages.append(PostfixMessage(queueID: queueID, host: record.host, firstSeen: record.time, firstLine: record.line))
        let slot = messages.count - 1
        open[key] = slot
        lastByHost[key] = slot
        byQueueID[queueID, default: []].append(slot)
        return slot
    }

    private static func key(_ host: String?, _ queueID: String) -> String { "\(host ?? "")\u{0}\(queueID)" }
}

extension MailLogEvent {
    /// The Postfix queue id the line is about, if any.
    public var queueID: String? {
        switch self {
        case .reject(let id, _, _, _), .hold(let id, _): id
        case .discard(let id, _), .client(let id, _), .pickup(let id, _), .messageID(let id, _), .queued(let id, _, _, _),
             .expired(let id), .removed(let id, _), .placedOnHold(let id), .releasedFromHold(let id), .delivery(let id, _),
             .notification(let id, _, _):
            id
        default: nil
        }
    }
}
