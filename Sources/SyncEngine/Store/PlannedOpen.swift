public import MailModel

/// A folder a session will open soon, and the listing ``MailboxReader/open(_:expecting:)``
/// will expect then (`nil`: a plain ``MailboxReader/open(_:)``): what a worker announces with
/// ``MailboxReader/openAhead(_:)``.
public struct PlannedOpen {
    public var folder: MailboxName
    public var expecting: SummaryRequest?

    public init(folder: MailboxName, expecting: SummaryRequest? = nil) {
        self.folder = folder
        self.expecting = expecting
    }
}
