public import MailModel

/// What converting one folder will do, computed without touching the disk.
public struct FolderConversionPlan: Sendable {
    /// The destination folder's identity.
    public enum Identity: Hashable, Sendable {
        /// Write `dovecot-uidlist` with this UIDVALIDITY and at least this next UID.
        case keep(uidValidity: UIDValidity, nextUID: UID)
        /// Write no UIDs; Dovecot numbers the messages under a UIDVALIDITY of its own.
        case leaveToDovecot
        /// The destination's UIDVALIDITY differs; nothing is written to this folder.
        case refused
    }

    /// A message to copy.
    public struct Copy: Sendable {
        public let source: CourierMessage
        public let spec: DovecotMessageSpec
    }

    /// A destination file without UID that gets one.
    public struct Adoption: Hashable, Sendable {
        public let base: String
        public let uid: UID
        public let pop3UIDL: String?
        public let pop3Order: Int?
    }

    /// A destination message whose flags or keywords change.
    public struct FlagUpdate: Hashable, Sendable {
        public let uid: UID
        public let flags: Set<Flag>
        public let keywords: [String]
        public let otherFlagLetters: [UInt8]
    }

    /// A destination record that moves to the UID Courier gave the message meanwhile.
    public struct Renumbering: Hashable, Sendable {
        public let base: String
        public let from: UID
        public let to: UID
    }

    public let levels: [String]
    public let identity: Identity
    /// Keywords by decreasing use: the first 26 get file name letters.
    public let keywordPriority: [String]
    public let renumberings: [Renumbering]
    public let adoptions: [Adoption]
    public let copies: [Copy]
    public let flagUpdates: [FlagUpdate]
    /// Messages already present with the right UID, flags and keywords.
    public let unchanged: Int
    /// Messages only in the destination (never touched).
    public let destinationOnly: Int
    public let diagnostics: [MaildirDiagnostic]

    public var changesAnything: Bool {
        !renumberings.isEmpty || !adoptions.isEmpty || !copies.isEmpty || !flagUpdates.isEmpty
    }
}
