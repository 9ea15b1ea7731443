/// `response-tagged = tag SP resp-cond-state CRLF`: the completion of one command.
public struct TaggedResponse: Hashable, Sendable {
    public var tag: String
    /// `.ok`, `.no` or `.bad`.
    public var status: ResponseStatus
    public var text: ResponseText

    public init(tag: String, status: ResponseStatus, text: ResponseText) {
        self.tag = tag
        self.status = status
        self.text = text
    }
}
