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
    /// The account's user on the new server (for `doveadm -u`), when the config names it.
    public var destinationUser: String?
    /// Seconds it took to read the old side (login, folder list, every message's size):
    /// the scan each delta sync repeats, measured on this machine against the real server.
    public var readSeconds: Double?
    /// The new server's quota for the account, when `[plan] new_dovecot_config` is set and
    /// doveadm answered.
    public var quota: AccountQuota?
    /// Source folders the sync's folder plan refuses, with the reason (a name the new server
    /// cannot hold, a collision); an entry without a folder is a rule that refuses the whole
    /// account. Nil when the plan could not be made (a side could not be read).
    public var refusedFolders: [RefusedFolder]?
    /// The timed sample's figures, for the few accounts the plan sampled.
    public var sample: AccountSample?

    public init(account: String, sourceFolders: Int? = nil, sourceMessages: Int? = nil, sourceBytes: Int? = nil, sourceError: String? = nil,
                destinationChecked: Bool = false, destinationError: String? = nil, destinationUser: String? = nil) {
        self.account = account
        self.sourceFolders = sourceFolders
        self.sourceMessages = sourceMessages
        self.sourceBytes = sourceBytes
        self.sourceError = sourceError
        self.destinationChecked = destinationChecked
        self.destinationError = destinationError
        self.destinationUser = destinationUser
    }
}

/// A folder the sync would refuse, as the plan reports it.
public struct RefusedFolder: Codable, Sendable, Equatable {
    /// The source folder's name; empty for a problem of the whole account (a bad rule).
    public var folder: String
    public var reason: String

    public init(folder: String, reason: String) {
        self.folder = folder
        self.reason = reason
    }
}
