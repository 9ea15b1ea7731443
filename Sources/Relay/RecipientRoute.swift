public import MailModel
public import SMTPCodec

/// A sink's decision for one recipient: the envelope address to deliver to, or the refusal.
public enum RecipientRoute: Hashable, Sendable {
    case accept(ForwardPath)
    case refuse(SMTPReply)
    /// A notification for the mirror's own bounce address: recorded for the report, never
    /// relayed.
    case collect

    public var accepted: ForwardPath? {
        if case .accept(let path) = self { return path }
        return nil
    }
}
