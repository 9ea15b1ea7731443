#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Waiting for files that other processes (the testbed's servers, a mirror in a child
/// process) write, on the writes themselves: an inotify watch on each directory, its parent
/// (the first delivery may create the directory) and two levels of subdirectories wakes the
/// waiter on every file created, written, renamed or removed there, and the condition is
/// checked again. State that this process changes is waited for with ``ChangeSignal``.
public final class DirectoryWatch: @unchecked Sendable {  // the descriptor is used by one waiter at a time
    private let fd: Int32
    private let trees: [String]

    public convenience init(_ trees: String...) throws {
        try self.init(trees: trees)
    }

    public init(trees: [String]) throws {
        fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw PollTimeout(what: "a watch on \(trees) (inotify_init1: errno \(errno))", seconds: 0) }
        self.trees = trees
        watch()
    }

    deinit { close(fd) }

    /// Adds watches for directories made since the last call (adding an existing one changes
    /// nothing). Called before each check, so a change between the check and the wait still wakes it.
    private func watch() {
        let mask = UInt32(IN_CREATE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_DELETE) | UInt32(IN_MODIFY)
        for tree in trees {
            let children = Self.directories(in: tree)
            let grandchildren = children.flatMap(Self.directories(in:))
            for directory in [(tree as NSString).deletingLastPathComponent, tree] + children + grandchildren {
                _ = inotify_add_watch(fd, directory, mask)
            }
        }
    }

    private static func directories(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map { directory + "/" + $0 }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// Blocks until something changes under the trees or `deadline` passes, or at most a
    /// second: the watches reach two levels deep and are added before each check, so a change
    /// deeper down, or in a directory made between a check and this wait, has no event, and
    /// the condition is checked again anyway.
    private func waitForChange(until deadline: ContinuousClock.Instant) {
        let left = deadline - ContinuousClock.now
        guard left > .zero else { return }
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1, 1_000))
        guard poll(&ready, 1, milliseconds) > 0, ready.revents & Int16(POLLIN) != 0 else { return }
        var events = [UInt8](repeating: 0, count: 4096)
        _ = read(fd, &events, events.count)
    }

    /// ``waitForChange(until:)`` on a thread of its own, so that an async test does not hold
    /// one of the few cooperative threads.
    private func change(until deadline: ContinuousClock.Instant) async {
        await withCheckedContinuation { waiter in
            Thread {
                self.waitForChange(until: deadline)
                waiter.resume()
            }.start()
        }
    }

    /// True once `condition` holds, checked at the start and after each change; false if
    /// `timeout` passes first (a bound for what never happens, not a delay).
    public func until(timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            watch()
            if try await condition() { return true }
            guard ContinuousClock.now < deadline else { return false }
            await change(until: deadline)
        }
    }

    /// Returns `body`'s value once it has one, checking it at the start and after each change
    /// under `tree`; throws ``PollTimeout`` naming `what` if `timeout` passes first.
    public static func until<T>(
        _ what: String, in tree: String, timeout: Duration = .seconds(30), _ body: () async throws -> T?
    ) async throws -> T {
        let watch = try DirectoryWatch(tree)
        var value: T?
        _ = try await watch.until(timeout: timeout) {
            value = try await body()
            return value != nil
        }
        guard let value else { throw PollTimeout(what: what, seconds: Double(timeout.components.seconds)) }
        return value
    }
}
