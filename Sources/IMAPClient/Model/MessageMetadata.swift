import IMAPCodec
import MailModel

/// One message's metadata from `UID FETCH (UID FLAGS INTERNALDATE RFC822.SIZE [MODSEQ])`.
public struct MessageMetadata: Hashable, Sendable {
    public var summary: MessageSummary
    /// RFC 7162 MODSEQ, when the server has CONDSTORE.
    public var modSeq: ModSeq?

    public init(summary: MessageSummary, modSeq: ModSeq?) {
        self.summary = summary
        self.modSeq = modSeq
    }

    public var uid: UID { summary.uid }
}
