import Glibc

/// The parts of `stat(2)` the Maildir layer uses.
public struct FileStatus: Hashable, Sendable {
    public enum FileType: Hashable, Sendable {
        case regular, directory, symbolicLink, other
    }

    public let type: FileType
    public let size: Int64
    /// Modification time (seconds and nanoseconds since the epoch): INTERNALDATE in a Maildir.
    public let modificationSeconds: Int64
    public let modificationNanoseconds: Int64
    public let changeSeconds: Int64
    public let ownerUID: UInt32
    public let ownerGID: UInt32
    /// Permission bits (`st_mode & 0o7777`).
    public let permissions: UInt32
    public let device: UInt64
    public let inode: UInt64

    init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: type = .regular
        case S_IFDIR: type = .directory
        case S_IFLNK: type = .symbolicLink
        default: type = .other
        }
        size = Int64(st.st_size)
        modificationSeconds = Int64(st.st_mtim.tv_sec)
        modificationNanoseconds = Int64(st.st_mtim.tv_nsec)
        changeSeconds = Int64(st.st_ctim.tv_sec)
        ownerUID = st.st_uid
        ownerGID = st.st_gid
        permissions = st.st_mode & 0o7777
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    public var isDirectory: Bool { type == .directory }
    public var isRegularFile: Bool { type == .regular }
}
