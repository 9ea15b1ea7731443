/// Where one recipient's copy of a message ended.
public struct ProofOutcome: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// In a mailbox on the new server (Dovecot's log names the folder).
        case deliveredNew = "delivered-new"
        /// Into the old store before the final sync began, and that account verified.
        case deliveredOld = "delivered-old"
        /// Sent to another server (an alias or forward to an outside address).
        case relayedOffSite = "relayed-off-site"
        /// Handed to a local program (pipe(8): a list manager, an archive).
        case localProgram = "local-program"
        /// A mirror copy (the `…mirror.invalid` bcc), relayed to the mirror or dropped by the cutover.
        case mirrorCopy = "mirror-copy"
        /// Dropped on purpose by a filter (a discard action, a Sieve discard).
        case filtered
        /// Returned to the sender.
        case bounced
        /// Still in a queue (deferred, held) when the log ends.
        case queued
        /// Nothing in the logs says where it is: the proof fails.
        case unaccounted
    }

    public var kind: Kind
    public var detail: String
    /// The new mailbox's folders (several when a filter filed a copy and kept one).
    public var folders: [String]

    public init(_ kind: Kind, _ detail: String, folders: [String] = []) {
        self.kind = kind
        self.detail = detail
        self.folders = folders
    }

    /// How bad an outcome is, when one recipient's mail took several ways (an alias to two mailboxes).
    var severity: Int {
        switch kind {
        case .unaccounted: 3
        case .queued: 2
        case .bounced: 1
        default: 0
        }
    }
}
