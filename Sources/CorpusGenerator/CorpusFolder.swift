/// A mailbox of the generated corpus, as Courier shows it and stores it.
public struct CorpusFolder: Sendable, Equatable, Codable {
    /// The name below `INBOX.` with `.` as hierarchy separator (`Archive.2019`), or `""`
    /// for INBOX itself. Unicode, NFC.
    public let name: String
    /// Relative share of the messages.
    public let weight: Double
    /// Years the messages' dates fall in (inclusive), e.g. 2019...2019 for an archive.
    public let years: ClosedRange<Int>
    /// Listed in `courierimapsubscribed`.
    public let subscribed: Bool
    /// What kind of mail it holds, which decides flags and senders.
    public let role: Role

    public enum Role: String, Sendable, Codable {
        case inbox, sent, drafts, trash, junk, plain
    }

    public init(name: String, weight: Double, years: ClosedRange<Int> = 2015...2024, subscribed: Bool = true, role: Role = .plain) {
        self.name = name
        self.weight = weight
        self.years = years
        self.subscribed = subscribed
        self.role = role
    }

    /// The full IMAP name on Courier: `INBOX` or `INBOX.<name>`.
    public var imapName: String { name.isEmpty ? "INBOX" : "INBOX." + name }

    /// The Maildir++ directory relative to the Maildir root: `""` or `.<name>`, in UTF-8 as
    /// Courier 5 stores it.
    public var directory: String { name.isEmpty ? "" : "." + name }
}
