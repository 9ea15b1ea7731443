/// A recipient that got the same message more than once, and the deliveries that show it.
public struct ProofDuplicate: Hashable, Sendable, Codable {
    public var queueID: String
    public var recipient: String
    public var messageID: String?
    public var deliveries: [String]

    public init(queueID: String, recipient: String, messageID: String?, deliveries: [String]) {
        self.queueID = queueID
        self.recipient = recipient
        self.messageID = messageID
        self.deliveries = deliveries
    }
}
