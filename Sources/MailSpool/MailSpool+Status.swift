import Foundation

/// Status journal, completion, hold and quarantine.
extension MailSpool {
    /// Record the outcome of an attempt. Not fsynced (see `complete`): after a power failure
    /// the last records may be lost, which can only cause a second delivery, never a loss.
    public func appendStatus(_ id: QueueID, _ record: SpoolStatusRecord) throws {
        try appendStatus(id, [record])
    }

    /// Record several attempts at once (outcomes that could not be recorded earlier, and the
    /// latest): all of them, or none.
    public func appendStatus(_ id: QueueID, _ records: [SpoolStatusRecord]) throws {
        let area = try area(of: id)
        try journal.append(path(area, id, "status"), try records.flatMap { try $0.jsonLine() })
    }

    func statusRecords(_ id: QueueID, area: Area) throws -> [SpoolStatusRecord] {
        let bytes: [UInt8]
        do {
            bytes = try SpoolFile.readAll(path(area, id, "status"))
        } catch let error as SpoolError where error.kind == .notFound {
            return []
        }
        // A torn last line (no LF) or an unreadable line is skipped: it can only make a
        // recipient look undelivered, so the worst case is a duplicate, never a loss.
        var records: [SpoolStatusRecord] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 10 {
            if let record = try? JSONDecoder().decode(SpoolStatusRecord.self, from: Data(bytes[start..<index])) {
                records.append(record)
            }
            start = index + 1
        }
        return records
    }

    /// Every recipient is final: log the entry to `finished.jsonl`, then delete it (the
    /// message file or the segment record, listed as done, goes before its journal, so a
    /// crash in between leaves an orphan journal, removed by recovery). A crash between the
    /// line and the deletion is caught by recovery, which finishes entries that already have
    /// a line (`recentlyFinishedIDs`) instead of sending them again.
    ///
    /// On a full disk the two writes this needs (the line, and a `.done` line for a small
    /// message) may use the reserve (`SpoolReserve`), which is filled again from the space
    /// the deletion gives back: a full spool drains by itself. Completing an entry that is
    /// already gone only writes its line again (the reader keeps the first).
    ///
    /// Power loss: `finished.jsonl`, `.done`, `.status` and the deletions are not fsynced.
    /// The kernel writes them back within seconds (ext4 commits every 5 s); a power failure
    /// in that window can undo the newest of them, and each undo can only repeat a copy,
    /// never lose one: a lost `.done` line or an undone deletion brings back an entry that
    /// was delivered (sent again unless its `finished.jsonl` line survived); a lost `.status`
    /// line sends again to the recipients it recorded as delivered; a lost `finished.jsonl`
    /// line whose deletion survived leaves that message out of `mirror report`. Everything
    /// answered 250 is fsynced before the answer, so nothing acknowledged is lost. Syncing
    /// these files too would cost an fdatasync per delivery to prevent only duplicates in the
    /// last seconds before a power cut; at-least-once is also what Postfix promises.
    public func complete(_ entry: SpoolEntry, at time: Double) throws {
        let record = FinishedRecord(entry: entry, finishedAt: time)
        try journal.append(finishedLogPath, try record.jsonLine())
        do {
            try discard(entry.id)
        } catch let error as SpoolError where error.kind == .notFound {
            // Deleted by an earlier attempt whose line could not be written.
        }
        journal.reserve?.fill()
    }

    /// Every finished record, oldest first. A torn last line is skipped.
    public func finishedRecords() throws -> [FinishedRecord] {
        let bytes: [UInt8]
        do {
            bytes = try SpoolFile.readAll(finishedLogPath)
        } catch let error as SpoolError where error.kind == .notFound {
            return []
        }
        var seen = Set<QueueID>()
        var records: [FinishedRecord] = []
        for line in bytes.split(separator: 10) {
            guard let record = try? JSONDecoder().decode(FinishedRecord.self, from: Data(line)) else { continue }
            if seen.insert(record.id).inserted { records.append(record) }
        }
        return records
    }

    /// IDs of the entries logged in the last `window` octets of `finished.jsonl`: the ones a
    /// crash could have left between their line and their deletion (completion writes the
    /// line just before deleting, so it is always among the newest).
    func recentlyFinishedIDs(window: Int = 1 << 20) throws -> Set<QueueID> {
        let size: Int
        do {
            size = try SpoolFile.size(finishedLogPath)
        } catch let error as SpoolError where error.kind == .notFound {
            return []
        }
        let start = max(0, size - window)
        var lines = try SpoolFile.readRange(finishedLogPath, offset: start, length: size - start).split(separator: 10)
        if start > 0, !lines.isEmpty { lines.removeFirst() }  // cut by the window
        struct Line: Decodable { var id: QueueID }
        return Set(lines.compactMap { try? JSONDecoder().decode(Line.self, from: Data($0)).id })
    }

    /// Stop delivering an entry until `release(_:)`. A small entry first moves out of its
    /// segment into a file of its own.
    public func hold(_ id: QueueID) throws {
        try moveOutOfSegment(id)
        guard try find(id).area == .queue else { return }
        try move(id, from: .queue, to: .hold)
    }

    /// Deliver a held entry again.
    public func release(_ id: QueueID) throws {
        guard try find(id).area == .hold else { return }
        try move(id, from: .hold, to: .queue)
    }

    /// Move an entry out of the way with the reason it is unusable. It is never delivered.
    public func quarantine(_ id: QueueID, reason: String) throws {
        let place = (try? find(id)) ?? (.queue, nil)
        try SpoolFile.writeNew(path(.corrupt, id, "reason"), Array((reason + "\n").utf8))
        if let record = place.record {
            try quarantineRecord(id, record)
        } else {
            try move(id, from: place.area, to: .corrupt)
        }
    }

    func move(_ id: QueueID, from: Area, to: Area) throws {
        if SpoolFile.exists(path(from, id, "status")) {
            try SpoolFile.move(path(from, id, "status"), path(to, id, "status"))
        }
        try SpoolFile.renameDurably(path(from, id, "msg"), path(to, id, "msg"), directory: directory(to))
        try SpoolFile.syncDirectory(directory(from))
    }
}

extension MailSpool {
    /// Delete a committed entry that must not be delivered (its original was refused).
    public func discard(_ id: QueueID) throws {
        let (area, record) = try find(id)
        if let record {
            try finishRecord(id, record)
        } else {
            // A record left behind by a crash while it moved to this file goes too.
            if let left = segments.ledger.location(of: id) { try segments.finish(id, in: left.segment) }
            try SpoolFile.remove(path(area, id, "msg"))
            try SpoolFile.remove(path(area, id, "status"))
        }
    }
}
