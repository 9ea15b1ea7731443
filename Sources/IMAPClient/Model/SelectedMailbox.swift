import IMAPCodec
import MailModel

/// What SELECT reported about a mailbox (RFC 3501 §6.3.1, RFC 7162).
public struct SelectedMailbox: Hashable, Sendable {
    public var path: MailboxPath
    public var uidValidity: UIDValidity?
    public var uidNext: UID?
    /// Number of messages (`EXISTS`).
    public var messageCount: Int
    public var recentCount: Int
    /// RFC 7162 HIGHESTMODSEQ; nil when the server has no CONDSTORE or said NOMODSEQ.
    public var highestModSeq: ModSeq?
    /// The flags defined in the mailbox (`FLAGS`).
    public var flags: [Flag]
    /// The flags that can be stored permanently (`PERMANENTFLAGS`); nil when not sent.
    public var permanentFlags: [Flag]?
    /// `\*` in PERMANENTFLAGS: new keywords can be created.
    public var allowsNewKeywords: Bool
    public var isReadOnly: Bool

    public init(path: MailboxPath) {
        self.path = path
        self.messageCount = 0
        self.recentCount = 0
        self.flags = []
        self.allowsNewKeywords = false
        self.isReadOnly = false
    }

    /// Folds one untagged response of the SELECT into the summary.
    mutating func apply(_ event: ResponseEvent) {
        switch event {
        case .untagged(.flags(let list)): flags = list
        case .untagged(.exists(let count)): messageCount = count
        case .untagged(.recent(let count)): recentCount = count
        case .untagged(.condition(.ok, let text)):
            switch text.code {
            case .uidValidity(let value)?: uidValidity = value
            case .uidNext(let value)?: uidNext = value
            case .highestModSeq(let value)?: highestModSeq = value
            case .noModSeq?: highestModSeq = nil
            case .permanentFlags(let list, let wildcard)?:
                permanentFlags = list
                allowsNewKeywords = wildcard
            default: break
            }
        default: break
        }
    }
}
