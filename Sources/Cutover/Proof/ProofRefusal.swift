/// A refused attempt: a recipient or a message the server answered with 4xx/5xx.
public struct ProofRefusal: Hashable, Sendable, Codable {
    public var time: LogInstant
    public var host: String?
    public var queueID: String?
    public var stage: String
    public var recipient: String?
    public var text: String

    public init(time: LogInstant, host: String? = nil, queueID: String?, stage: String, recipient: String?, text: String) {
        self.time = time
        self.host = host
        self.queueID = queueID
        self.stage = stage
        self.recipient = recipient
        self.text = text
    }
}
