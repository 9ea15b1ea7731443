public import MailModel

/// One message of a Courier folder, with everything a copy needs to keep.
public struct CourierMessage: Hashable, Sendable {
    /// The POP3 identity of a message in INBOX.
    public struct POP3: Hashable, Sendable {
        /// The UIDL Courier's POP3 server shows (`UID12-1690000000`, …).
        public let uidl: String
        /// Position in Courier's POP3 listing (1-based), for Dovecot's `O` field.
        public let order: Int
    }

    /// The IMAP UID; `nil` only for a message in `new/` when UIDs were not assigned to those.
    public let uid: UID?
    public let uidOrigin: UIDOrigin?
    public let file: MaildirFileEntry
    /// Absolute path of the file.
    public let path: String
    /// The system flags Courier shows (`\Recent` excluded).
    public let flags: Set<Flag>
    /// Keywords Courier shows, sorted.
    public let keywords: [String]
    public let pop3: POP3?
    /// True when another file in the folder has the same base name and keeps it; a copy of
    /// this one needs a new base name.
    public let isDuplicateBase: Bool

    public init(
        uid: UID?, uidOrigin: UIDOrigin?, file: MaildirFileEntry, path: String, flags: Set<Flag>, keywords: [String],
        pop3: POP3?, isDuplicateBase: Bool
    ) {
        self.uid = uid
        self.uidOrigin = uidOrigin
        self.file = file
        self.path = path
        self.flags = flags
        self.keywords = keywords
        self.pop3 = pop3
        self.isDuplicateBase = isDuplicateBase
    }

    public var base: String { file.base }
    public var size: Int64 { file.size }
    /// INTERNALDATE: Courier uses the file's modification time.
    public var internalDate: InternalDate { InternalDate(secondsSince1970: file.modificationTime) }

    /// Letters of the `:2,` section that are neither IMAP flags nor keyword letters (such as
    /// `P`, "passed"): Courier ignores them, Dovecot keeps them, so a copy keeps them too.
    public var otherFlagLetters: [UInt8] { file.fileName.flags.otherLetters }

    /// The system flags of a file name as Courier reads them (`get_message_flags`): the
    /// text after the last `:` must start with `2,`; any `D F R S T` after it counts.
    public static func courierFlags(of name: String) -> Set<Flag> {
        let bytes = Array(name.utf8)
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")), bytes.count >= colon + 3,
            bytes[colon + 1] == UInt8(ascii: "2"), bytes[colon + 2] == UInt8(ascii: ",")
        else { return [] }
        var flags: Set<Flag> = []
        for letter in bytes[(colon + 3)...] {
            if let flag = MaildirFlagLetters.flag(for: letter) { flags.insert(flag) }
        }
        return flags
    }
}
