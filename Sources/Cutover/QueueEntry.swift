import Foundation

/// One message in a Postfix queue, from `postqueue -j` (Postfix 3.1+).
public struct QueueEntry: Hashable, Sendable, Decodable {
    public struct Recipient: Hashable, Sendable, Decodable {
        public var address: String
        public var delayReason: String?

        enum CodingKeys: String, CodingKey {
            case address
            case delayReason = "delay_reason"
        }
    }

    /// `maildrop`, `incoming`, `active`, `deferred` or `hold`.
    public var queueName: String
    public var queueID: String
    /// Unix time the message arrived.
    public var arrivalTime: Int
    public var sender: String
    public var recipients: [Recipient]

    enum CodingKeys: String, CodingKey {
        case queueName = "queue_name"
        case queueID = "queue_id"
        case arrivalTime = "arrival_time"
        case sender
        case recipients
    }

    /// True when a recipient's domain is one of `domains` (lower case).
    public func hasRecipient(in domains: Set<String>) -> Bool {
        recipients.contains { recipient in
            guard let at = recipient.address.lastIndex(of: "@") else { return false }
            return domains.contains(recipient.address[recipient.address.index(after: at)...].lowercased())
        }
    }

    /// One JSON object per line. The queue changes while postqueue reads it: showq reads the
    /// queue directories one after another, so a message moved during the scan from one
    /// already read to one not yet read (qmgr deferring it, say) is listed twice. One entry
    /// per queue id, the later one (where it moved to), so a count is a count of messages.
    /// An entry can still be missed (a move against the scan's order); callers that need
    /// certainty ask again.
    static func parse(lines text: String, command: String) throws -> [QueueEntry] {
        let decoder = JSONDecoder()
        let listed = try text.split(separator: "\n").map { line in
            do {
                return try decoder.decode(QueueEntry.self, from: Data(line.utf8))
            } catch {
                throw CutoverError.unexpectedOutput(command: command, detail: "\(line.prefix(200)): \(error)")
            }
        }
        var last: [String: Int] = [:]
        for (index, entry) in listed.enumerated() { last[entry.queueID] = index }
        return listed.enumerated().filter { last[$0.element.queueID] == $0.offset }.map(\.element)
    }
}
