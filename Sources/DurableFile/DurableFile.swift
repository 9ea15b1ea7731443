import Glibc
import Synchronization

/// Durable replacement of a file, the one way mailferry writes a file that must survive a
/// crash whole (Maildir metadata, Courier UID ledgers, Postfix maps and the backups
/// `postfix restore` and `cutover rollback` depend on, the mirror's tag key): write
/// everything under a unique temporary name, set owner, mode and mtime, fsync it, rename it
/// over the target (or, for ``create(_:with:options:)``, link it to a name not yet taken),
/// fsync the directory. Readers see the old or the new content, never a mix; after a crash the new
/// content is complete or absent, never an empty file whose data was still in the page cache.
public enum DurableFile {
    /// How the new file looks.
    public struct Options: Sendable, Hashable {
        /// Permission bits, set exactly (the umask does not apply).
        public var mode: UInt32
        /// Owner and group to give the file (`fchown`); nil keeps the process's.
        public var uid: UInt32?
        public var gid: UInt32?
        /// Where the temporary file goes; it must be on the target's file system (a Maildir's
        /// own `tmp/`, so nothing half-written ever sits next to a folder). Nil: next to the target.
        public var temporaryDirectory: String?
        /// The modification time (seconds), set before the rename so that no reader sees the
        /// new content with another mtime.
        public var modificationTime: Int64?

        public init(mode: UInt32 = 0o644, uid: UInt32? = nil, gid: UInt32? = nil, temporaryDirectory: String? = nil, modificationTime: Int64? = nil) {
            self.mode = mode
            self.uid = uid
            self.gid = gid
            self.temporaryDirectory = temporaryDirectory
            self.modificationTime = modificationTime
        }
    }

    private static let counter = Atomic<UInt64>(0)

    /// Replaces `path` with `bytes`.
    public static func replace(_ path: String, with bytes: some Collection<UInt8>, options: Options = Options()) throws(DurableFileError) {
        let temporary = try writeTemporary(for: path, bytes, options: options)
        guard rename(temporary, path) == 0 else {
            let failure = DurableFileError("rename to \(path)", temporary)
            unlink(temporary)
            throw failure
        }
        try syncDirectory(parent(of: path))
    }

    /// Creates `path` with `bytes` unless it exists, and never replaces it: the file is
    /// linked into place whole, and when another writer made it first (meanwhile, too), that
    /// file stays. For what must be made once and then only read (a key that data already
    /// depends on). Returns false when the file was there.
    @discardableResult
    public static func create(_ path: String, with bytes: some Collection<UInt8>, options: Options = Options()) throws(DurableFileError) -> Bool {
        let temporary = try writeTemporary(for: path, bytes, options: options)
        let linked = link(temporary, path) == 0
        let failure = linked || errno == EEXIST ? nil : DurableFileError("link to \(path)", temporary)
        unlink(temporary)
        if let failure { throw failure }
        try syncDirectory(parent(of: path))
        return linked
    }

    /// Writes `bytes` under a new temporary name for `path`, with the options' owner, mode
    /// and mtime, fsynced and closed; returns the name. Removes it on failure.
    private static func writeTemporary(for path: String, _ bytes: some Collection<UInt8>, options: Options) throws(DurableFileError) -> String {
        let temporary = temporaryPath(for: path, in: options.temporaryDirectory)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(options.mode))
        guard fd >= 0 else { throw DurableFileError("open", temporary) }
        var closed = false
        do throws(DurableFileError) {
            if options.uid != nil || options.gid != nil {
                let uid = options.uid.map { uid_t($0) } ?? uid_t.max
                let gid = options.gid.map { gid_t($0) } ?? gid_t.max
                guard fchown(fd, uid, gid) == 0 else { throw DurableFileError("fchown", temporary) }
            }
            guard fchmod(fd, mode_t(options.mode)) == 0 else { throw DurableFileError("fchmod", temporary) }
            try writeAll(fd, bytes, path: temporary)
            if let seconds = options.modificationTime {
                var times = [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0)]
                guard futimens(fd, &times) == 0 else { throw DurableFileError("futimens", temporary) }
            }
            guard fsync(fd) == 0 else { throw DurableFileError("fsync", temporary) }
            closed = true
            guard close(fd) == 0 else { throw DurableFileError("close", temporary) }
        } catch {
            if !closed { close(fd) }
            unlink(temporary)
            throw error
        }
        return temporary
    }

    /// A unique temporary name for `target`: the process and a counter, so concurrent writers
    /// of one target never share a temporary file.
    public static func temporaryPath(for target: String, in temporaryDirectory: String?) -> String {
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let name = "mailferry.\(getpid()).\(number).\(lastComponent(target))"
        guard let temporaryDirectory else { return target + ".\(name).tmp" }
        return temporaryDirectory.hasSuffix("/") ? temporaryDirectory + name : temporaryDirectory + "/" + name
    }

    /// fsync a directory so that renames and creations in it are durable.
    public static func syncDirectory(_ path: String) throws(DurableFileError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw DurableFileError("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw DurableFileError("fsync", path) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>, path: String) throws(DurableFileError) {
        let failure: Int32? =
            bytes.withContiguousStorageIfAvailable { writeAll(fd, UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { writeAll(fd, $0) }
        if let failure { throw DurableFileError("write", path, errno: failure) }
    }

    /// The errno of a failed write, or nil; retries short writes and EINTR.
    private static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < buffer.count {
            let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
