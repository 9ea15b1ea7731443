/// Small messages: records in shared segments (group commit), with no file of their own
/// while they are in their first delivery attempt.
extension MailSpool {
    /// Messages whose queue file is at most this many octets (256 KiB) are appended to a
    /// segment and share fdatasyncs with the other sessions committing at the same time;
    /// larger ones get a file of their own (`makeWriter`), as they are streamed to disk.
    public static let segmentThreshold = 256 * 1024

    /// Make a message held in memory durable and queue it: a segment record if it is small,
    /// else a file of its own. Returns only once the message is on disk (fdatasync of the
    /// record or fsync of the file), so the caller may then answer 250.
    public func commit(_ envelope: SpoolEnvelope, body: [UInt8]) throws -> SpoolEntry {
        let payload = try SpoolFormat.file(envelope, body: body)
        guard payload.count <= Self.segmentThreshold else {
            let writer = try makeWriter(envelope)
            try writer.write(body)
            return try writer.commit()
        }
        _ = try segments.append(SegmentRecord.encode(payload), id: envelope.id)
        return SpoolEntry(envelope: envelope, bodyLength: body.count, contains8Bit: body.contains { $0 >= 0x80 },
                          states: Array(repeating: .pending, count: envelope.recipients.count), attempts: 0, nextAttemptAt: nil, held: false)
    }

    /// Unfinished records of the segments this process does not know: all of them in a
    /// process that did not run recovery (`mirror queue`), none in the mirror after recovery.
    func unknownSegmentRecords() throws -> [QueueID: SegmentLocation] {
        var records: [QueueID: SegmentLocation] = [:]
        for name in try SpoolFile.list(segments.directory) where name.hasSuffix(".log") {
            guard let segment = QueueID(String(name.dropLast(4))), !segments.ledger.knows(segment) else { continue }
            do {
                records.merge(try SegmentContents(segment, log: segments).records) { old, _ in old }
            } catch let error as SpoolError where error.kind == .notFound {
                continue  // deleted meanwhile: everything in it was finished
            }
        }
        return records
    }

    /// Every unfinished segment record, known or on disk.
    func segmentRecords() throws -> [QueueID: SegmentLocation] {
        segments.ledger.records.merging(try unknownSegmentRecords()) { known, _ in known }
    }

    /// Move a small entry out of its segment into a file of its own (nothing for an entry
    /// that has one): done when it is not finished by its first delivery attempt, or held,
    /// so that a segment holds only messages in their first attempt and is deleted within
    /// seconds, not pinned for days by one deferred message. The file is durable before the
    /// record is listed as done; a crash in between leaves both, and the file wins.
    public func moveOutOfSegment(_ id: QueueID) throws {
        guard let record = try find(id).record else { return }
        let bytes = try segments.read(record)
        let temporary = path(.temporary, id, "msg")
        do {
            try SpoolFile.writeNew(temporary, bytes, sync: true)
            try SpoolFile.move(temporary, path(.queue, id, "msg"))
        } catch {
            try? SpoolFile.remove(temporary)
            throw error
        }
        try queueSync.sync()
        try segments.finish(id, in: record.segment)
    }

    /// Finish a small entry: list its record as done, then remove its journal.
    func finishRecord(_ id: QueueID, _ record: SegmentLocation) throws {
        try segments.finish(id, in: record.segment)
        try SpoolFile.remove(path(.queue, id, "status"))
    }

    /// Quarantine a small entry: its record's bytes are copied to `corrupt/<id>.msg` (as they
    /// are, for the operator), then the record is finished.
    func quarantineRecord(_ id: QueueID, _ record: SegmentLocation) throws {
        let bytes = segments.rawBytes(record) ?? []
        try SpoolFile.writeNew(path(.corrupt, id, "msg"), Array(bytes.dropFirst(SegmentRecord.headerLength)))
        if SpoolFile.exists(path(.queue, id, "status")) {
            try SpoolFile.move(path(.queue, id, "status"), path(.corrupt, id, "status"))
        }
        try SpoolFile.syncDirectory(directory(.corrupt))
        try finishRecord(id, record)
    }
}
