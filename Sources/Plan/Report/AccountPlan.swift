/// One account as the plan saw it on both servers.
public struct AccountPlan: Codable, Sendable, Equatable {
    public var account: String
    /// Folders, messages and octets on the old server; nil when it could not be read.
    public var sourceFolders: Int?
    public var sourceMessages: Int?
    public var sourceBytes: Int?
    /// Why the old server's side could not be read (a failed login, a dropped connection).
    public var sourceError: String?
    /// Whether the new server's side was checked (a `maildir:` destination has no login).
    public var destinationChecked: Bool
    public var destinationError: String?

    public init(account: String, sourceFolders: Int? = nil, sourceMessages: Int? = nil, sourceBytes: Int? = nil, sourceError: String? = nil,
                destinationChecked: Bool = false, destinationError: String? = nil) {
        self.account = account
        self.sourceFolders = sourceFolders
        self.sourceMessages = sourceMessages
        self.sourceBytes = sourceBytes
        self.sourceError = sourceError
        self.destinationChecked = destinationChecked
        self.destinationError = destinationError
    }
}
