import Glibc

/// A system call of ``DurableFile`` failed: which one, on which path, and errno. Callers map
/// it into their own error (a Maildir error, a Postfix error) with the same facts.
public struct DurableFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed, as `open`, `fsync` or `rename to /etc/postfix/main.cf`.
    public var operation: String
    public var path: String
    public var errno: Int32

    public init(_ operation: String, _ path: String, errno: Int32 = Glibc.errno) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(errno)))" }
}
