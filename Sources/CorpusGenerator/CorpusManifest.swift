/// What was generated, for later tests to compare a migration against: per folder, every
/// message with the SHA-256 of its exact bytes, flags, keywords, dates and Message-ID.
/// Written as JSON with sorted keys, so the same corpus gives the same file.
public struct CorpusManifest: Sendable, Codable, Equatable {
    public var formatVersion = 1
    public var generator = "mailferry-corpus"
    public var seed: UInt64
    public var user: String
    public var profile: CorpusProfile
    /// Maildir files use LF line ends; IMAP servers send them with CRLF.
    public var lineEnding = "LF"
    /// Folder directory names are UTF-8 on disk (Courier >= 5).
    public var folderNameEncoding = "UTF-8"
    /// Lines of `courierimapsubscribed`, in order.
    public var subscriptions: [String]
    public var folders: [Folder]
    public var totalMessages: Int
    public var totalBytes: Int

    public struct Folder: Sendable, Codable, Equatable {
        /// Full IMAP name on Courier (`INBOX.Archive.2019`).
        public var name: String
        /// Directory relative to the Maildir root (`.Archive.2019`; `""` for INBOX).
        public var directory: String
        public var subscribed: Bool
        public var messages: [Message]
    }

    public struct Message: Sendable, Codable, Equatable {
        /// Path relative to the folder directory: `cur/<name>:2,<flags>` or `new/<name>`.
        public var file: String
        public var sha256: String
        /// Size of the file in bytes (LF line ends; RFC822.SIZE over IMAP is larger).
        public var size: Int
        /// IMAP system flags, e.g. `\Seen`.
        public var flags: [String]
        public var keywords: [String]
        /// INTERNALDATE (the file's mtime), seconds since 1970.
        public var internalDate: Int64
        /// The Date header as written.
        public var date: String
        /// With angle brackets; nil when the message has no Message-ID.
        public var messageID: String?
        public var edgeCases: [EdgeCase]
    }

    /// IMAP flags for Maildir info letters (`P` and unknown letters have none).
    public static func imapFlags(_ letters: String) -> [String] {
        letters.compactMap { letter in
            switch letter {
            case "D": return "\\Draft"
            case "F": return "\\Flagged"
            case "R": return "\\Answered"
            case "S": return "\\Seen"
            case "T": return "\\Deleted"
            default: return nil
            }
        }
    }
}
