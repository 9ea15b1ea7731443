import Foundation

/// Group commit for one directory's fsync: the commits of many sessions share fsyncs.
///
/// A rename is durable once an fsync of its directory that started after the rename has
/// completed (``GroupSyncRounds``). With N sessions committing at once this costs about two
/// directory fsyncs per round instead of N, and no caller returns before its own rename is on
/// disk. Blocking: call it off the event loops.
final class DirectorySyncGroup: @unchecked Sendable {
    let directory: String
    private let condition = NSCondition()
    private var rounds = GroupSyncRounds()
    private let syncDirectory: @Sendable (String) throws -> Void

    /// `waitingChanged` is told how many callers wait for a running fsync (see
    /// ``GroupSyncRounds/waitingChanged``).
    init(directory: String, syncDirectory: @escaping @Sendable (String) throws -> Void = SpoolFile.syncDirectory,
         waitingChanged: (@Sendable (Int) -> Void)? = nil) {
        self.directory = directory
        self.syncDirectory = syncDirectory
        rounds.waitingChanged = waitingChanged
    }

    /// Returns once a directory fsync that started after this call has completed; throws if
    /// any fsync that could be the one covering this caller's rename failed.
    func sync() throws {
        condition.lock()
        defer { condition.unlock() }
        let failure = rounds.awaitCoverage(
            condition, prepare: {},
            perform: { () -> (any Error)? in
                do { try syncDirectory(directory) } catch { return error }
                return nil
            },
            finish: { _, _ in })
        if let failure { throw failure }
    }
}
