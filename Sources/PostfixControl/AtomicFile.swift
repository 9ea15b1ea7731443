import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Write a file completely under a temporary name, then rename it into place, so Postfix
/// never reads a half-written map and a crash never leaves a torn backup.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, permissions: Int = 0o644) throws {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: permissions]) else {
            throw PostfixError("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            throw PostfixError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
    }
}
