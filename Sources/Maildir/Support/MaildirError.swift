/// A failure of the Maildir layer, always with the path it concerns.
///
/// Parsers throw it for files they refuse to interpret (with the 1-based line), I/O wrappers
/// throw it with the `errno` of the failed call. The kind is an open set of codes so that
/// callers can branch on the ones they handle and print the rest.
public struct MaildirError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A system call failed; ``MaildirError/errno`` says why.
        public static let io = Kind("io")
        /// A metadata file is too large to be what it claims to be.
        public static let fileTooLarge = Kind("file too large")
        /// A metadata file does not follow its format.
        public static let malformed = Kind("malformed")
        /// A metadata file has a version this code does not read.
        public static let unsupportedVersion = Kind("unsupported version")
        /// A folder name on disk or in a subscription cannot be decoded.
        public static let invalidFolderName = Kind("invalid folder name")
        /// A folder name cannot be stored in the destination's layout.
        public static let unrepresentableFolderName = Kind("unrepresentable folder name")
        /// A message file name cannot be used (contains `/`, NUL, a newline, …).
        public static let invalidFileName = Kind("invalid file name")
        /// The destination already holds this folder with another UIDVALIDITY.
        public static let uidValidityMismatch = Kind("UIDVALIDITY mismatch")
        /// The destination was changed by someone else in a way that makes a write unsafe.
        public static let conflict = Kind("conflict")
        /// A UID that another writer (a live Dovecot) handed out, and a client may have seen,
        /// would be given to another message under the same UIDVALIDITY.
        public static let uidHandedOut = Kind("UID handed out")
        /// `dovecot-uidlist.lock` is held by a live process and did not go away in time.
        public static let lockTimeout = Kind("lock timeout")
        /// A path is not a Maildir (no `cur/`).
        public static let notAMaildir = Kind("not a maildir")
        /// The API was used against its contract (e.g. a message written twice).
        public static let invalidArgument = Kind("invalid argument")
    }

    public let kind: Kind
    /// The file or directory concerned.
    public let path: String
    /// 1-based line number inside `path`, when the problem is in a line.
    public let line: Int?
    /// `errno` of the failed system call, for ``Kind/io``.
    public let errno: Int32?
    /// Human-readable detail: what was found, what was expected.
    public let detail: String

    public init(_ kind: Kind, path: String, line: Int? = nil, errno: Int32? = nil, detail: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.errno = errno
        self.detail = detail
    }

    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        text += ": \(kind): \(detail)"
        if let errno { text += " (\(SystemErrorText.describe(errno)))" }
        return text
    }
}
