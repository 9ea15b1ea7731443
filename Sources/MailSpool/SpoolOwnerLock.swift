#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One process at a time owns a spool: recovers it, appends to its segments and delivers it.
///
/// Recovery adopts the segments it finds and deletes them once their messages are finished;
/// a second mirror on the same spool would do that to the first one's open segment, and the
/// first one's next records would go to a deleted file. So `recover` takes an exclusive
/// `flock` on `<spool>/lock` and keeps it until the process exits (the kernel releases it,
/// also after a kill -9). Read-only tools (`mirror queue`, `mirror report`) never take it.
/// Within one process the lock is taken once per spool directory.
enum SpoolOwnerLock {
    private final class Registry: @unchecked Sendable {  // `held` behind `lock`
        let lock = NSLock()
        var held: [String: Int32] = [:]
    }

    private static let registry = Registry()

    static func acquire(_ root: String) throws {
        try registry.lock.withLock {
            guard registry.held[root] == nil else { return }
            let path = root + "/lock"
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw SpoolFile.fail("open", path) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let error = errno == EWOULDBLOCK
                    ? SpoolError(.io, "spool \(root) is in use by another process (pid \(owner(fd))); one mailferry mirror per spool")
                    : SpoolFile.fail("flock", path)
                SpoolFile.closeFile(fd)
                throw error
            }
            _ = ftruncate(fd, 0)
            _ = try? SpoolFile.writeAll(fd, Array("\(getpid())\n".utf8), path: path)
            registry.held[root] = fd
        }
    }

    /// The process ID the owner wrote into the lock file, for the error message.
    private static func owner(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let text = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "unknown" : text
    }
}
