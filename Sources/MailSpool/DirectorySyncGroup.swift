import Foundation

/// Group commit for one directory's fsync: the commits of many sessions share fsyncs.
///
/// A rename is durable once an fsync of its directory that *started after the rename* has
/// completed. So a caller that has just renamed into the directory either starts an fsync
/// itself or, if one is already running (it may have started before the rename), waits for
/// the next one, which covers every rename made while the previous one ran. With N sessions
/// committing at once this costs about two directory fsyncs per round instead of N, and no
/// caller returns before its own rename is on disk. Blocking: call it off the event loops.
final class DirectorySyncGroup: @unchecked Sendable {
    let directory: String
    private let condition = NSCondition()
    /// Fsyncs started so far; fsync number n covers every rename made before it started.
    private var started = 0
    /// The number of the last fsync that completed (they run one at a time, in order).
    private var completed = 0
    private var running = false
    /// The most recent failed fsync, and why.
    private var lastFailure: (number: Int, error: any Error)?
    private let syncDirectory: @Sendable (String) throws -> Void

    init(directory: String, syncDirectory: @escaping @Sendable (String) throws -> Void = SpoolFile.syncDirectory) {
        self.directory = directory
        self.syncDirectory = syncDirectory
    }

    /// Returns once a directory fsync that started after this call has completed; throws if
    /// any fsync that could be the one covering this caller's rename failed.
    func sync() throws {
        condition.lock()
        defer { condition.unlock() }
        let ticket = started
        while completed <= ticket {
            if running {
                condition.wait()
                continue
            }
            running = true
            started += 1
            let number = started
            condition.unlock()
            var failure: (any Error)?
            do { try syncDirectory(directory) } catch { failure = error }
            condition.lock()
            running = false
            completed = number
            if let failure { lastFailure = (number, failure) }
            condition.broadcast()
        }
        if let lastFailure, lastFailure.number > ticket { throw lastFailure.error }
    }
}
