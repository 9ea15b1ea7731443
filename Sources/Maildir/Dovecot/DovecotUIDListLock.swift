import Glibc

/// Dovecot's `dovecot-uidlist.lock`, taken the way Dovecot's own `file_dotlock_create`
/// takes it, so that a running Dovecot and this writer exclude each other:
///
/// - the lock is a file created with `O_EXCL`, containing `<pid>:<hostname>`;
/// - a lock whose pid is on this host and no longer runs is stale at once (after 2 s);
/// - any other lock is stale when neither it nor `dovecot-uidlist` changed for
///   `staleTimeout` (Dovecot: 120 s) — a live local pid is never overridden;
/// - waiting gives up after `timeout` (Dovecot: 122 s) with ``MaildirError/Kind/lockTimeout``.
///
/// Every stale lock removed is reported. The lock is released only if it is still ours
/// (same inode).
public final class DovecotUIDListLock {
    public struct Options: Hashable, Sendable {
        public var timeoutSeconds: Double
        public var staleTimeoutSeconds: Int64

        public init(timeoutSeconds: Double = 122, staleTimeoutSeconds: Int64 = 120) {
            self.timeoutSeconds = timeoutSeconds
            self.staleTimeoutSeconds = staleTimeoutSeconds
        }
    }

    public let path: String
    private let inode: UInt64
    private let content: [UInt8]
    private var released = false
    /// Stale locks removed while acquiring.
    public private(set) var diagnostics: [MaildirDiagnostic] = []

    private init(path: String, inode: UInt64, content: [UInt8], diagnostics: [MaildirDiagnostic]) {
        self.path = path
        self.inode = inode
        self.content = content
        self.diagnostics = diagnostics
    }

    /// Take the lock of the folder at `folderPath`.
    public static func acquire(
        folderPath: String, ownership: MaildirOwnership, options: Options = Options()
    ) throws(MaildirError) -> DovecotUIDListLock {
        let lockPath = FileSystem.join(folderPath, DovecotUIDList.fileName + ".lock")
        let uidlistPath = FileSystem.join(folderPath, DovecotUIDList.fileName)
        let content = "\(getpid()):\(MaildirUniqueName.systemHostname())"
        let deadline = monotonicSeconds() + options.timeoutSeconds
        var diagnostics: [MaildirDiagnostic] = []
        var pause: UInt32 = 20_000
        while true {
            let fd = open(lockPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(ownership.fileMode))
            if fd >= 0 {
                defer { close(fd) }
                do throws(MaildirError) {
                    try FileSystem.writeAll(fd, Array(content.utf8), path: lockPath)
                    try ownership.apply(descriptor: fd, path: lockPath)
                } catch {
                    _ = try? FileSystem.remove(lockPath)
                    throw error
                }
                var st = stat()
                guard fstat(fd, &st) == 0 else { throw FileSystem.error("fstat", lockPath) }
                return DovecotUIDListLock(path: lockPath, inode: UInt64(st.st_ino), content: Array(content.utf8), diagnostics: diagnostics)
            }
            let code = Glibc.errno
            guard code == EEXIST else { throw FileSystem.error("open", lockPath, code) }
            if let reason = try staleReason(lockPath: lockPath, uidlistPath: uidlistPath, options: options) {
                if try FileSystem.remove(lockPath) {
                    diagnostics.append(MaildirDiagnostic(.warning, .staleLockRemoved, path: lockPath, "removed a stale lock: \(reason)"))
                }
                continue
            }
            guard monotonicSeconds() < deadline else {
                throw MaildirError(
                    .lockTimeout, path: lockPath,
                    detail: "held by another process for more than \(Int(options.timeoutSeconds)) s; is Dovecot or another run using this folder?")
            }
            usleep(pause)
            pause = min(pause * 2, 500_000)
        }
    }

    /// Why an existing lock may be overridden, or `nil` to keep waiting.
    static func staleReason(lockPath: String, uidlistPath: String, options: Options) throws(MaildirError) -> String? {
        guard let status = try FileSystem.status(lockPath, followLinks: false) else { return nil }
        let now = Int64(time(nil))
        if let owner = try lockOwner(lockPath) {
            if owner.host == MaildirUniqueName.systemHostname() {
                guard status.modificationSeconds < now - 2 else { return nil }
                if owner.pid == getpid() { return "left by this process" }
                if kill(owner.pid, 0) == 0 || Glibc.errno != ESRCH { return nil }
                return "process \(owner.pid) no longer runs"
            }
        }
        var lastChange = max(status.modificationSeconds, status.changeSeconds)
        if let uidlist = try FileSystem.status(uidlistPath) {
            lastChange = max(lastChange, uidlist.modificationSeconds)
        }
        guard now > lastChange + options.staleTimeoutSeconds else { return nil }
        return "unchanged for \(now - lastChange) s"
    }

    static func lockOwner(_ lockPath: String) throws(MaildirError) -> (pid: Int32, host: String)? {
        guard let bytes = try FileSystem.readFile(lockPath, limit: 512) else { return nil }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        guard let colon = text.firstIndex(of: ":"), let pid = Int32(text[..<colon]), pid > 0 else { return nil }
        return (pid, String(text[text.index(after: colon)...]))
    }

    /// Remove the lock if it is still ours (same inode and content, since inodes are
    /// reused); throws if someone replaced it meanwhile.
    public func release() throws(MaildirError) {
        guard !released else { return }
        released = true
        guard let status = try FileSystem.status(path, followLinks: false), status.inode == inode,
            try FileSystem.readFile(path, limit: 512) == content
        else {
            throw MaildirError(.conflict, path: path, detail: "the lock was overridden by another process while held")
        }
        try FileSystem.remove(path)
    }

    deinit {
        if !released { _ = try? release() }
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
