#if canImport(Glibc)
import Glibc
#endif
import TestbedClient

/// Waiting for a process to exit on the exit itself: a pidfd becomes readable when its
/// process ends, whoever its parent is (Postfix's master and sshd go to the background, so
/// they are not this process's children, and `waitpid` cannot wait for them), and the
/// wait blocks in poll() on a test-client thread (``LineSocket/blocking(_:)``), never on a
/// thread of the cooperative pool.
public enum ProcessExit {
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32

    /// glibc's `pidfd_open` (2.36), looked up at run time: the header is not in Swift's Glibc
    /// module, and `syscall(2)`, being variadic, cannot be called from Swift.
    private static let pidfdOpen: PidfdOpen? =
        dlsym(dlopen(nil, RTLD_NOW), "pidfd_open").map { unsafeBitCast($0, to: PidfdOpen.self) }

    /// Returns once process `pid` has exited (a child of this process is then a zombie until
    /// reaped), or at once if there is no such process; throws ``PollTimeout`` naming `what`
    /// if `timeout` passes first (a bound for an exit that never comes, not a delay).
    public static func wait(for pid: pid_t, _ what: String, timeout: Duration = .seconds(30)) async throws {
        guard let pidfdOpen else { throw PollTimeout(what: "\(what) (this C library has no pidfd_open)", seconds: 0) }
        let fd = pidfdOpen(pid, 0)
        guard fd >= 0 else {
            if errno == ESRCH { return }
            throw PollTimeout(what: "\(what) (pidfd_open: errno \(errno))", seconds: 0)
        }
        defer { close(fd) }
        let deadline = ContinuousClock.now + timeout
        let exited = try await LineSocket.blocking { try Self.readable(fd, until: deadline, what) }
        guard exited else { throw PollTimeout(what: what, seconds: Double(timeout.components.seconds)) }
    }

    /// Blocks until `fd` is readable (true) or `deadline` passes (false).
    private static func readable(_ fd: Int32, until deadline: ContinuousClock.Instant, _ what: String) throws -> Bool {
        // Each round ends in the exit, the deadline, a signal or a minute: ten thousand are
        // more than any bound a test sets.
        for _ in 0..<10_000 {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000)
            let result = poll(&ready, 1, Int32(milliseconds))
            if result > 0 { return true }
            if result < 0, errno != EINTR { throw PollTimeout(what: "\(what) (poll: errno \(errno))", seconds: 0) }
        }
        return false
    }
}
