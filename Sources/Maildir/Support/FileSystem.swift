import CMaildirSystem
import DurableFile
import Glibc

/// Thin, typed wrappers over the POSIX calls the Maildir layer needs.
///
/// Every failure becomes a ``MaildirError`` carrying the path and `errno`; "does not exist"
/// is returned as `nil` where a caller routinely expects it. Paths are plain strings joined
/// with ``join(_:_:)``; nothing here touches Foundation.
enum FileSystem {
    /// Upper bound for reading a metadata file into memory (a uid list of a million
    /// messages is well under this).
    static let metadataSizeLimit = 256 * 1024 * 1024

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func error(_ call: String, _ path: String, _ code: Int32 = Glibc.errno) -> MaildirError {
        MaildirError(.io, path: path, errno: code, detail: "\(call) failed")
    }

    /// `stat` (or `lstat`); `nil` when the path does not exist.
    static func status(_ path: String, followLinks: Bool = true) throws(MaildirError) -> FileStatus? {
        var st = stat()
        let result = followLinks ? stat(path, &st) : lstat(path, &st)
        if result == 0 { return FileStatus(st) }
        let code = Glibc.errno
        if code == ENOENT || code == ENOTDIR { return nil }
        throw error(followLinks ? "stat" : "lstat", path, code)
    }

    static func isDirectory(_ path: String) throws(MaildirError) -> Bool {
        try status(path)?.isDirectory ?? false
    }

    /// The whole file, or `nil` when it does not exist. Refuses files above `limit` bytes.
    static func readFile(_ path: String, limit: Int = metadataSizeLimit) throws(MaildirError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = Glibc.errno
            if code == ENOENT { return nil }
            throw error("open", path, code)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if Glibc.errno == EINTR { continue }
                throw error("read", path)
            }
            if count == 0 { break }
            guard bytes.count + count <= limit else {
                throw MaildirError(.fileTooLarge, path: path, detail: "larger than \(limit) bytes")
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Directory entries except `.` and `..`, or `nil` when the directory does not exist.
    /// Names that are not valid UTF-8 are returned separately, as raw bytes, so that the
    /// caller can report them instead of mangling them.
    static func entries(of directory: String) throws(MaildirError) -> DirectoryListing? {
        guard let dir = opendir(directory) else {
            let code = Glibc.errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw error("opendir", directory, code)
        }
        defer { closedir(dir) }
        var listing = DirectoryListing()
        while true {
            Glibc.errno = 0
            guard let entry = readdir(dir) else {
                if Glibc.errno != 0 { throw error("readdir", directory) }
                break
            }
            let bytes: [UInt8] = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: UInt8.self, capacity: 256) { pointer in
                    Array(UnsafeBufferPointer(start: pointer, count: strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))))
                }
            }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            if let name = String(validating: bytes, as: UTF8.self) {
                listing.names.append(name)
            } else {
                listing.undecodable.append(bytes)
            }
        }
        return listing
    }

    static func makeDirectory(_ path: String, mode: UInt32) throws(MaildirError) -> Bool {
        if mkdir(path, mode_t(mode)) == 0 { return true }
        let code = Glibc.errno
        if code == EEXIST, try isDirectory(path) { return false }
        throw error("mkdir", path, code)
    }

    /// Create a directory and any missing parents (`mkdir -p`), each with `mode`.
    static func makeDirectories(_ path: String, mode: UInt32) throws(MaildirError) {
        if try isDirectory(path) { return }
        let parentPath = parent(path)
        if parentPath != path, !parentPath.isEmpty { try makeDirectories(parentPath, mode: mode) }
        _ = try makeDirectory(path, mode: mode)
    }

    static func rename(_ from: String, _ to: String) throws(MaildirError) {
        guard Glibc.rename(from, to) == 0 else {
            throw MaildirError(.io, path: from, errno: Glibc.errno, detail: "rename to \(to) failed")
        }
    }

    /// Rename `from` to `to` only if nothing is at `to`: a `.conflict` error otherwise, and
    /// nothing moved. One `renameat2(RENAME_NOREPLACE)`, so a file that appears at `to` between
    /// a check and the rename cannot be overwritten; on a file system without the flag, a
    /// check and a plain rename (the window is then the caller's lock's to close).
    static func renameWithoutReplacing(_ from: String, _ to: String) throws(MaildirError) {
        if cmaildir_rename_noreplace(from, to) == 0 { return }
        let code = Glibc.errno
        let taken = MaildirError(.conflict, path: to, detail: "a file with this name appeared meanwhile; not overwritten")
        if code == EEXIST { throw taken }
        guard code == EINVAL || code == ENOSYS || code == EOPNOTSUPP else {
            throw MaildirError(.io, path: from, errno: code, detail: "rename to \(to) failed")
        }
        if try status(to, followLinks: false) != nil { throw taken }
        try rename(from, to)
    }

    /// Remove a file; returns false when it was already gone.
    @discardableResult
    static func remove(_ path: String) throws(MaildirError) -> Bool {
        if unlink(path) == 0 { return true }
        let code = Glibc.errno
        if code == ENOENT { return false }
        throw error("unlink", path, code)
    }

    /// fsync a directory so that renames and creations in it are durable:
    /// ``DurableFile/syncDirectory(_:)``, its failure as a Maildir error.
    static func syncDirectory(_ path: String) throws(MaildirError) {
        do throws(DurableFileError) {
            try DurableFile.syncDirectory(path)
        } catch {
            throw FileSystem.error(error.operation, error.path, error.errno)
        }
    }

    /// Flush the whole file system that holds `path` (`syncfs`): every file written so far
    /// is then on stable storage, and write-back errors are reported.
    static func syncFileSystem(containing path: String) throws(MaildirError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error("open", path) }
        defer { close(fd) }
        guard cmaildir_syncfs(fd) == 0 else { throw error("syncfs", path) }
    }

    /// Write all of `buffer` to `fd`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws(MaildirError) {
        if let code = writeAll(fd, buffer) { throw error("write", path, code) }
    }

    /// Write all of `bytes` to `fd`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, path: String) throws(MaildirError) {
        if let code = bytes.withUnsafeBytes({ writeAll(fd, $0) }) { throw error("write", path, code) }
    }

    /// Write all of `bytes` to `fd`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(MaildirError) {
        if let code = bytes.withUnsafeBytes({ writeAll(fd, $0) }) { throw error("write", path, code) }
    }

    /// Returns the errno of a failed write, or nil.
    private static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < buffer.count {
            let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if Glibc.errno == EINTR { continue }
                return Glibc.errno
            }
            offset += written
        }
        return nil
    }
}

/// The names found in one directory.
struct DirectoryListing: Sendable {
    var names: [String] = []
    var undecodable: [[UInt8]] = []
}
