/// What happened to one account in one run.
public struct AccountReport: Hashable, Sendable, Codable {
    public enum Outcome: String, Hashable, Sendable, Codable {
        /// Every message of every mapped folder is on the destination.
        case complete
        /// Every message this run could copy is on the destination, but some were deferred
        /// (`--settle`: delivered in the last seconds, not numbered by Courier yet): a later
        /// run, with delivery held and no settle window, copies them. Never "complete", so
        /// that verify finds nothing missing after a complete sync.
        case deferred
        /// Some messages or folders failed; the rest was copied.
        case partial
        /// The folder plan has problems; nothing was written.
        case planRefused = "plan refused"
        /// Login failed on one side.
        case authenticationFailed = "authentication failed"
        /// A server could not be reached, kept dropping the connection, or kept breaking the
        /// protocol (the folders it did finish are in the report).
        case connectionFailed = "connection failed"
        /// Something else stopped the account.
        case failed
    }

    public var account: String
    public var source: String
    public var destination: String
    public var folders: [FolderReport] = []
    /// Source folders left out by the plan, with the reason (excluded, not selectable).
    public var skippedFolders: [SkippedFolder] = []
    public var problems: [String] = []
    /// The account-level error, if the account stopped.
    public var error: String?
    public var errorKind: StoreError.Kind?
    public var dryRun = false
    /// The destination the state directory's records of this account were written for, when
    /// it was another one: those records were dropped, and every message was looked for on
    /// this destination afresh.
    public var previousDestination: String?
    public var subscriptionsAdded = 0
    public var seconds: Double = 0

    public init(account: String, source: String, destination: String) {
        self.account = account
        self.source = source
        self.destination = destination
    }

    public var outcome: Outcome {
        if !problems.isEmpty { return .planRefused }
        if let errorKind {
            switch errorKind {
            case .authentication: return .authenticationFailed
            case .connection, .security, .protocolViolation: return .connectionFailed
            case .folder, .other: return folders.isEmpty ? .failed : .partial
            }
        }
        if error != nil { return .failed }
        // A folder given up after every retry because the connection kept dropping or the
        // server kept breaking the protocol says nothing about that folder: the server (or
        // the network) is the problem, and the account's outcome says so.
        if folders.contains(where: { $0.errorKind == .connection || $0.errorKind == .security || $0.errorKind == .protocolViolation }) {
            return .connectionFailed
        }
        guard folders.allSatisfy(\.isComplete) else { return .partial }
        return deferred > 0 ? .deferred : .complete
    }

    public var copied: Int { folders.reduce(0) { $0 + $1.copied } }
    public var bytesCopied: Int { folders.reduce(0) { $0 + $1.bytesCopied } }
    public var unchanged: Int { folders.reduce(0) { $0 + $1.unchanged + $1.matched } }
    /// Messages the destination refused.
    public var failed: Int { folders.reduce(0) { $0 + $1.failures.count } }
    /// Folders refused as a whole (a UIDVALIDITY conflict, a changed mapping, a name the
    /// destination cannot hold): none of their messages is counted in ``failed``.
    public var failedFolders: Int { folders.reduce(0) { $0 + ($1.error == nil ? 0 : 1) } }
    /// Messages deleted on the destination that `--keep-destination-deletions` left deleted.
    public var keptDeletions: Int { folders.reduce(0) { $0 + $1.keptDeletions } }
    /// Source messages left for a later run (``FolderReport/deferred``).
    public var deferred: Int { folders.reduce(0) { $0 + $1.deferred } }
    /// Destination folders that held only the mirror's copies and took the source's
    /// UIDVALIDITY in this run (``FolderReport/adoptedMirrorCopies``).
    public var adoptedFolders: Int { folders.filter { $0.adoptedMirrorCopies != nil }.count }
    /// Messages already on the destination whose flags or keywords were brought in line.
    public var flagsUpdated: Int { folders.reduce(0) { $0 + $1.flagsUpdated } }
}

/// A source folder the plan leaves out, and why.
public struct SkippedFolder: Hashable, Sendable, Codable {
    public var folder: String
    public var reason: String

    public init(folder: String, reason: String) {
        self.folder = folder
        self.reason = reason
    }
}
