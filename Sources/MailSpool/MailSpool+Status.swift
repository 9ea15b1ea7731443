import Foundation

/// Status journal, completion, hold and quarantine.
extension MailSpool {
    /// Record the outcome of an attempt. Not fsynced: after a power failure the last records
    /// may be lost, which can only cause a second delivery, never a loss.
    public func appendStatus(_ id: QueueID, _ record: SpoolStatusRecord) throws {
        let area = try area(of: id)
        try SpoolFile.append(path(area, id, "status"), try Self.jsonLine(record), sync: false)
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

    /// Every recipient is final: log the entry to `finished.jsonl`, then delete it. The
    /// message file (or the segment record, listed as done) goes first, so a crash in between
    /// leaves an orphan journal (removed by recovery), never a message that would be sent again.
    public func complete(_ entry: SpoolEntry, at time: Double) throws {
        let record = FinishedRecord(entry: entry, finishedAt: time)
        try SpoolFile.append(finishedLogPath, try Self.jsonLine(record), sync: false)
        try discard(entry.id)
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

    static func jsonLine(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value)) + [10]
        } catch {
            throw SpoolError(.io, "encode record: \(error)")
        }
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
