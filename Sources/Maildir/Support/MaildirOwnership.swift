import Glibc

/// Who owns what the writer creates, and with which modes: the files of a Dovecot Maildir
/// must belong to the mail user, or Dovecot cannot open them.
///
/// Dovecot derives its permissions from the mailbox root directory (files get the
/// directory's mode without execute bits), so ``inferred(maildirRoot:home:)`` does the
/// same: it takes owner, group and mode from the existing Maildir root, or owner and group
/// from the home directory with Dovecot's defaults (0700/0600) when the Maildir does not
/// exist yet. An explicit owner (`--owner`) overrides both.
public struct MaildirOwnership: Hashable, Sendable, CustomStringConvertible {
    /// Owner to give to created files and directories; `nil` keeps the process's.
    public var uid: UInt32?
    /// Group to give to created files and directories; `nil` keeps the process's.
    public var gid: UInt32?
    /// Mode of created directories (permission bits, may include setgid).
    public var directoryMode: UInt32
    /// Mode of created files.
    public var fileMode: UInt32

    public init(uid: UInt32?, gid: UInt32?, directoryMode: UInt32 = 0o700, fileMode: UInt32 = 0o600) {
        self.uid = uid
        self.gid = gid
        self.directoryMode = directoryMode
        self.fileMode = fileMode
    }

    /// Files owned by whoever runs the process, with Dovecot's default modes.
    public static let currentProcess = MaildirOwnership(uid: nil, gid: nil)

    /// Ownership as Dovecot would apply it: from the Maildir root if it exists, otherwise
    /// owner and group of `home` with modes 0700/0600.
    public static func inferred(maildirRoot: String, home: String? = nil) throws(MaildirError) -> MaildirOwnership {
        if let root = try FileSystem.status(maildirRoot), root.isDirectory {
            let directoryMode = root.permissions & 0o2777
            return MaildirOwnership(
                uid: root.ownerUID, gid: root.ownerGID, directoryMode: directoryMode, fileMode: directoryMode & 0o666)
        }
        let homePath = home ?? FileSystem.parent(maildirRoot)
        guard let home = try FileSystem.status(homePath), home.isDirectory else {
            throw MaildirError(.notAMaildir, path: homePath, detail: "neither the Maildir nor its home directory exists")
        }
        return MaildirOwnership(uid: home.ownerUID, gid: home.ownerGID)
    }

    public var description: String {
        let owner = uid.map(String.init) ?? "-"
        let group = gid.map(String.init) ?? "-"
        return "\(owner):\(group) dirs \(String(directoryMode, radix: 8)) files \(String(fileMode, radix: 8))"
    }

    /// Give an open file its owner and mode.
    func apply(descriptor fd: Int32, path: String, isDirectory: Bool = false) throws(MaildirError) {
        if uid != nil || gid != nil {
            let newUID = uid.map { uid_t($0) } ?? uid_t.max
            let newGID = gid.map { gid_t($0) } ?? gid_t.max
            guard fchown(fd, newUID, newGID) == 0 else { throw FileSystem.error("fchown", path) }
        }
        guard fchmod(fd, mode_t(isDirectory ? directoryMode : fileMode)) == 0 else {
            throw FileSystem.error("fchmod", path)
        }
    }

    /// Create a directory (if missing) with this ownership; returns true if it was created.
    @discardableResult
    func makeDirectory(_ path: String) throws(MaildirError) -> Bool {
        guard try FileSystem.makeDirectory(path, mode: directoryMode & 0o777) else { return false }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.error("open", path) }
        defer { close(fd) }
        try apply(descriptor: fd, path: path, isDirectory: true)
        return true
    }
}
