import Foundation

/// Group commit for small messages: one committer appends records to a shared segment file,
/// and one fdatasync makes every record written since the previous one durable.
///
/// A record is durable once an fdatasync of its segment that *started after the record was
/// written* has completed (the ticket logic of `DirectorySyncGroup`). A caller writes its
/// record, then either starts a sync itself or, if one is running (it may have started
/// before the write), waits for the next one, which covers every record written while the
/// previous one ran. N sessions finishing DATA together share one or two fdatasyncs instead
/// of N fsyncs plus a rename each. A failed fdatasync fails every caller it would have
/// covered, and seals its segment (after a writeback error the kernel may report success for
/// pages it dropped), so new records go to a fresh file.
///
/// Segments are `<segments>/<name>.log`, sealed at `capacity` octets; `<name>.done` lists the
/// records that are finished. Blocking: call it off the event loops.
final class SegmentLog: @unchecked Sendable {  // all state behind `condition`
    let directory: String
    let capacity: Int
    let ledger: SegmentLedger
    private let condition = NSCondition()
    private var current: OpenSegment?
    /// Files written since the last fdatasync started.
    private var unsynced: [OpenSegment] = []
    private var rounds = GroupSyncRounds()
    private let syncFile: @Sendable (Int32, String) throws -> Void
    private let writeFile: @Sendable (Int32, [UInt8], String) throws -> Void
    private let syncDirectory: @Sendable (String) throws -> Void
    /// Appends the `.done` lines (shared with the spool's other journals and its reserve).
    let journal: SpoolJournal

    /// Segments are sealed once they hold `capacity` octets (8 MiB by default). The file
    /// operations can be replaced by tests (failing disks); `waitingChanged` is told how many
    /// callers wait for a running fdatasync (see ``GroupSyncRounds/waitingChanged``).
    init(directory: String, capacity: Int = 8 << 20, ledger: SegmentLedger, journal: SpoolJournal = SpoolJournal(reserve: nil),
         syncFile: @escaping @Sendable (Int32, String) throws -> Void = { try SpoolFile.dataSync($0, path: $1) },
         writeFile: @escaping @Sendable (Int32, [UInt8], String) throws -> Void = { try SpoolFile.writeAll($0, $1, path: $2) },
         syncDirectory: @escaping @Sendable (String) throws -> Void = SpoolFile.syncDirectory,
         waitingChanged: (@Sendable (Int) -> Void)? = nil) {
        self.directory = directory
        self.capacity = capacity
        self.ledger = ledger
        self.syncFile = syncFile
        self.writeFile = writeFile
        self.syncDirectory = syncDirectory
        self.journal = journal
        rounds.waitingChanged = waitingChanged
    }

    func logPath(_ segment: QueueID) -> String { "\(directory)/\(segment).log" }
    func donePath(_ segment: QueueID) -> String { "\(directory)/\(segment).done" }

    /// Append one encoded record for `id`; returns its location once an fdatasync that
    /// started after the write has completed. On failure the record is abandoned (listed as
    /// done), so recovery never delivers a message whose sender was told to retry.
    func append(_ record: [UInt8], id: QueueID) throws -> SegmentLocation {
        condition.lock()
        let location: SegmentLocation
        do {
            location = try write(record, id: id)
        } catch {
            condition.unlock()
            throw error
        }
        let failure = rounds.awaitCoverage(condition, prepare: takeUnsynced, perform: syncFiles, finish: finishSync)
        condition.unlock()
        if let failure {
            try? finish(id, in: location.segment)
            throw failure
        }
        return location
    }

    /// The files a group fdatasync covers: every file written since the previous one started.
    /// Called with the lock held.
    private func takeUnsynced() -> [OpenSegment] {
        let files = unsynced
        unsynced = []
        for file in files {
            file.unsynced = false
            file.syncing = true
        }
        return files
    }

    /// The group fdatasync itself, with the lock released: the first error, and the files
    /// whose sync failed (their segments are sealed).
    private func syncFiles(_ files: [OpenSegment]) -> (any Error)? {
        var failure: (any Error)?
        for file in files {
            do {
                try syncFile(file.fd, file.path)
                if file.needsDirectorySync {
                    try syncDirectory(directory)
                    file.needsDirectorySync = false
                }
            } catch {
                failure = failure ?? error
                file.syncFailed = true
            }
        }
        return failure
    }

    /// After a group fdatasync, with the lock held again.
    private func finishSync(_ files: [OpenSegment], _ failure: (any Error)?) {
        for file in files where file.syncFailed { seal(file) }
        for file in files {
            file.syncing = false
            file.closeIfDone()
        }
    }

    private func write(_ record: [UInt8], id: QueueID) throws -> SegmentLocation {
        if let file = current, file.size > 0, file.size + record.count > capacity { seal(file) }
        let file = try current ?? open()
        let offset = file.size
        do {
            try writeFile(file.fd, record, file.path)
        } catch {
            seal(file)  // a partial record is a torn tail: nothing more goes after it
            throw error
        }
        file.size += record.count
        let location = SegmentLocation(segment: file.name, offset: offset, length: record.count)
        ledger.added(id, at: location)
        if !file.unsynced {
            file.unsynced = true
            unsynced.append(file)
        }
        return location
    }

    private func open() throws -> OpenSegment {
        let name = QueueID.make(unixTime: Date().timeIntervalSince1970)
        let fd = try SpoolFile.createExclusive(logPath(name))
        let file = OpenSegment(name: name, path: logPath(name), fd: fd)
        ledger.opened(name)
        current = file
        return file
    }

    private func seal(_ file: OpenSegment) {
        guard !file.sealed else { return }
        file.sealed = true
        if current === file { current = nil }
        file.closeIfDone()
        if ledger.sealed(file.name) { removeSegment(file.name) }
    }

    /// Seal the current segment (the next record starts a new one).
    func rotate() {
        condition.withLock { if let current { seal(current) } }
    }

    /// The record for `id` is finished (delivered, failed, discarded, quarantined or
    /// abandoned): list it in the segment's `.done` file first, so recovery never brings it
    /// back, then delete the segment if nothing in it is left. Not fsynced (see the power-loss
    /// note on `MailSpool.complete`): a line lost to a power failure can only cause a second
    /// delivery of that record. On a full disk the line may use the spool's reserve.
    func finish(_ id: QueueID, in segment: QueueID) throws {
        try journal.append(donePath(segment), Array("\(id)\n".utf8))
        if ledger.finished(id, in: segment) { removeSegment(segment) }
    }

    func removeSegment(_ segment: QueueID) {
        try? SpoolFile.remove(logPath(segment))
        try? SpoolFile.remove(donePath(segment))
    }

    /// The IDs listed in a segment's `.done` file (a torn last line is ignored).
    func doneIDs(_ segment: QueueID) throws -> Set<QueueID> {
        let bytes: [UInt8]
        do {
            bytes = try SpoolFile.readAll(donePath(segment))
        } catch let error as SpoolError where error.kind == .notFound {
            return []
        }
        return Set(bytes.split(separator: 10).compactMap { QueueID(String(decoding: $0, as: UTF8.self)) })
    }

    /// The verified payload (a complete queue file) of the record at `location`.
    func read(_ location: SegmentLocation) throws -> [UInt8] {
        let bytes = try SpoolFile.readRange(logPath(location.segment), offset: location.offset, length: location.length)
        guard bytes.count == location.length, let payload = SegmentRecord.decode(bytes, at: 0),
              SegmentRecord.headerLength + payload.count == location.length
        else { throw SpoolError(.corrupt, "segment \(location.segment) record at \(location.offset) is torn or damaged") }
        return Array(payload)
    }

    /// Whatever bytes are at `location`, unverified (for quarantine).
    func rawBytes(_ location: SegmentLocation) -> [UInt8]? {
        try? SpoolFile.readRange(logPath(location.segment), offset: location.offset, length: location.length)
    }
}
