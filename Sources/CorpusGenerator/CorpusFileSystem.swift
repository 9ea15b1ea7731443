import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the writer needs, with the owner and mtime set exactly.
struct CorpusFileSystem {
    let owner: CorpusOwner?

    /// Creates `path` and missing parents with mode 0700, owned by the owner.
    func makeDirectory(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw CorpusError.io("\(path) exists and is not a directory") }
        } else {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        try chown(path)
    }

    /// Writes a new file (it must not exist), mode 0600, with mtime `mtime` if given.
    func writeFile(_ path: String, _ bytes: [UInt8], mtime: Int64? = nil) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw CorpusError.io("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw CorpusError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += n
        }
        if let mtime {
            // Courier uses the mtime as INTERNALDATE.
            var times = [timespec(tv_sec: time_t(mtime), tv_nsec: 0), timespec(tv_sec: time_t(mtime), tv_nsec: 0)]
            guard futimens(fd, &times) == 0 else { throw CorpusError.io("cannot set mtime of \(path)") }
        }
        if let owner, fchown(fd, owner.uid, owner.gid) != 0 {
            throw CorpusError.io("cannot chown \(path): \(String(cString: strerror(errno)))")
        }
    }

    func chown(_ path: String) throws {
        guard let owner else { return }
        guard Glibc.chown(path, owner.uid, owner.gid) == 0 else {
            throw CorpusError.io("cannot chown \(path): \(String(cString: strerror(errno)))")
        }
    }
}
