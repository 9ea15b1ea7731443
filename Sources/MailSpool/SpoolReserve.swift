#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Room kept back so that outcomes can still be recorded when the disk is full.
///
/// Finishing an entry writes before it frees: its `finished.jsonl` line, and for a small
/// message a `.done` line (its segment is deleted only once every record in it is done). On
/// a full disk those few hundred octets would fail, the entry would stay queued and its
/// space would never come back. So the owner keeps `<spool>/reserve`, a file of zeros
/// (1 MiB by default): a journal write that fails for want of space frees it and tries once
/// more, and the reserve is filled again from the space that finished entries give back.
/// New mail never writes into the reserve, so it is refused (451) only while the disk has
/// no room outside it. The zeros are written, not just sized (a sparse file would hold no
/// blocks); they need no fsync: after a crash recovery fills the file again.
final class SpoolReserve: @unchecked Sendable {  // `isFull` behind `lock`
    let path: String
    let size: Int
    private let lock = NSLock()
    private var isFull = false

    init(path: String, size: Int) {
        self.path = path
        self.size = size
    }

    /// Grow the file to `size` octets. Returns false if the disk had no room for all of it
    /// (what was written stays: a smaller reserve is still a reserve). Cheap when full.
    @discardableResult
    func fill() -> Bool {
        lock.withLock {
            if isFull || size == 0 { return true }
            let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return false }
            defer { SpoolFile.closeFile(fd) }
            var offset = Int(lseek(fd, 0, SEEK_END))
            let zeros = [UInt8](repeating: 0, count: 64 << 10)
            while offset >= 0, offset < size {
                let count = zeros.withUnsafeBytes { pwrite(fd, $0.baseAddress, min($0.count, size - offset), off_t(offset)) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            isFull = offset >= size
            return isFull
        }
    }

    /// Give the reserved space back to the file system (for a journal write that found the
    /// disk full).
    func release() {
        lock.withLock {
            _ = truncate(path, 0)
            isFull = false
        }
    }
}
