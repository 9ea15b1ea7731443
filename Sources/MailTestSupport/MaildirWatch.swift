#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Waiting for the testbed's servers to deliver into a Maildir, on the delivery itself: an
/// inotify watch on the Maildir and its `new/` and `cur/` wakes the waiter on every file
/// created or renamed there, and the condition is checked again.
public enum MaildirWatch {
    /// Returns `body`'s value once it has one, checking it at the start and after each change
    /// in `maildir`; throws ``PollTimeout`` naming `what` if `timeout` passes first (a bound
    /// for a delivery that never comes, not a delay).
    public static func until<T>(
        _ what: String, in maildir: String, timeout: Duration = .seconds(30), _ body: () throws -> T?
    ) throws -> T {
        let deadline = ContinuousClock.now + timeout
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw PollTimeout(what: "\(what) (inotify_init1: errno \(errno))", seconds: 0) }
        defer { close(fd) }
        // Watched before each check, so a delivery between the check and the wait still wakes
        // it. The first delivery may create the Maildir itself: its parent is watched too, and
        // the watches are added again after each wake (adding an existing one changes nothing).
        let mask = UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)
        let parent = (maildir as NSString).deletingLastPathComponent
        var events = [UInt8](repeating: 0, count: 4096)
        while true {
            for directory in [parent, maildir, maildir + "/new", maildir + "/cur"] { _ = inotify_add_watch(fd, directory, mask) }
            if let value = try body() { return value }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { break }
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            guard poll(&ready, 1, milliseconds) >= 0 || errno == EINTR else { break }
            if ready.revents & Int16(POLLIN) != 0 { _ = read(fd, &events, events.count) }
        }
        throw PollTimeout(what: what, seconds: Double(timeout.components.seconds))
    }

    /// ``until(_:in:timeout:_:)`` on a thread of its own, so that an async test does not hold
    /// one of the few cooperative threads while the servers deliver.
    public static func until<T: Sendable>(
        _ what: String, in maildir: String, timeout: Duration = .seconds(30), _ body: @escaping @Sendable () throws -> T?
    ) async throws -> T {
        try await withCheckedThrowingContinuation { waiter in
            Thread {
                waiter.resume(with: Result { try until(what, in: maildir, timeout: timeout, body) as T })
            }.start()
        }
    }
}
