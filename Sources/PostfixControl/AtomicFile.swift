import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Durable replacement of a file: write it completely under a temporary name, fsync it,
/// rename it into place, fsync the directory. Postfix never reads a half-written map, and
/// after a crash the backup that `postfix restore` depends on is the old one or the whole
/// new one, never an empty file whose data was still in the page cache.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, permissions: Int = 0o644) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(permissions))
        guard fd >= 0 else { throw failure("open", temporary) }
        do {
            // open's mode is masked by the umask; the file must have exactly `permissions`.
            guard fchmod(fd, mode_t(permissions)) == 0 else { throw failure("chmod", temporary) }
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw failure("write", temporary)
                    }
                    offset += written
                }
            }
            guard fsync(fd) == 0 else { throw failure("fsync", temporary) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else { throw failure("close", temporary) }
        guard rename(temporary, path) == 0 else {
            throw PostfixError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw failure("open", directory) }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else { throw failure("fsync", directory) }
    }

    private static func failure(_ operation: String, _ path: String) -> PostfixError {
        PostfixError("cannot \(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
