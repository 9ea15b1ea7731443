import Glibc
import Synchronization

/// Durable replacement of a small file: write a temporary file, fsync it, rename it over
/// the target, fsync the directory. Readers see the old or the new content, never a mix,
/// and after a crash the new content is either complete or absent.
enum AtomicFile {
    private static let counter = Atomic<UInt64>(0)

    /// A temporary path for `target` in `temporaryDirectory` (the Maildir's own `tmp/`
    /// when there is one, so that nothing half-written ever sits next to a folder).
    static func temporaryPath(for target: String, in temporaryDirectory: String?) -> String {
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let name = "mailferry.\(getpid()).\(number).\(FileSystem.lastComponent(target))"
        if let temporaryDirectory {
            return FileSystem.join(temporaryDirectory, name)
        }
        return target + ".\(name).tmp"
    }

    /// Replace `path` with `bytes`. `temporaryDirectory` must be on the same file system.
    /// `modificationTime` (seconds) is set before the rename, so that no reader ever sees the
    /// new content with another mtime.
    static func write(
        _ bytes: [UInt8], to path: String, ownership: MaildirOwnership, temporaryDirectory: String? = nil,
        modificationTime: Int64? = nil
    ) throws(MaildirError) {
        let temporary = temporaryPath(for: path, in: temporaryDirectory)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(ownership.fileMode))
        guard fd >= 0 else { throw FileSystem.error("open", temporary) }
        var closed = false
        do throws(MaildirError) {
            try FileSystem.writeAll(fd, bytes, path: temporary)
            try ownership.apply(descriptor: fd, path: temporary)
            if let modificationTime {
                var times = [timespec(tv_sec: Int(modificationTime), tv_nsec: 0), timespec(tv_sec: Int(modificationTime), tv_nsec: 0)]
                guard futimens(fd, &times) == 0 else { throw FileSystem.error("futimens", temporary) }
            }
            guard fsync(fd) == 0 else { throw FileSystem.error("fsync", temporary) }
            closed = true
            guard close(fd) == 0 else { throw FileSystem.error("close", temporary) }
            try FileSystem.rename(temporary, path)
        } catch {
            if !closed { close(fd) }
            _ = try? FileSystem.remove(temporary)
            throw error
        }
        try FileSystem.syncDirectory(FileSystem.parent(path))
    }
}
