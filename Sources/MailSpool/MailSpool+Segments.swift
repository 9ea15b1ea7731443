/// Small messages: records in shared segments (group commit), with no file of their own.
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

    /// The record of a held small entry, from its `hold/<id>.ref` file.
    func heldRecord(_ id: QueueID) throws -> SegmentLocation {
        guard let location = SegmentLocation(text: try SpoolFile.readAll(path(.hold, id, "ref"))) else {
            throw SpoolError(.corrupt, "unreadable segment reference for \(id)")
        }
        return location
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

    /// Finish a small entry: list its record as done first (a crash after that leaves at
    /// most a reference or journal that recovery sees is done), then remove the rest.
    func finishRecord(_ id: QueueID, _ record: SegmentLocation, in area: Area) throws {
        try segments.finish(id, in: record.segment)
        try SpoolFile.remove(path(.hold, id, "ref"))
        try SpoolFile.remove(path(area, id, "status"))
    }

    /// Quarantine a small entry: its record's bytes are copied to `corrupt/<id>.msg` (as they
    /// are, for the operator), then the record is finished.
    func quarantineRecord(_ id: QueueID, _ record: SegmentLocation, in area: Area) throws {
        let bytes = segments.rawBytes(record) ?? []
        try SpoolFile.writeNew(path(.corrupt, id, "msg"), Array(bytes.dropFirst(SegmentRecord.headerLength)))
        if SpoolFile.exists(path(area, id, "status")) {
            try SpoolFile.move(path(area, id, "status"), path(.corrupt, id, "status"))
        }
        try SpoolFile.syncDirectory(directory(.corrupt))
        try finishRecord(id, record, in: area)
    }

    /// Hold a queued small entry: a durable `hold/<id>.ref` names its record.
    func holdRecord(_ id: QueueID, _ record: SegmentLocation) throws {
        let temporary = path(.temporary, id, "ref")
        try SpoolFile.writeNew(temporary, record.text, sync: true)
        try SpoolFile.renameDurably(temporary, path(.hold, id, "ref"), directory: directory(.hold))
        if SpoolFile.exists(path(.queue, id, "status")) {
            try SpoolFile.move(path(.queue, id, "status"), path(.hold, id, "status"))
        }
    }

    /// Release a held small entry: without its `hold/` reference it is queued again.
    func releaseRecord(_ id: QueueID) throws {
        if SpoolFile.exists(path(.hold, id, "status")) {
            try SpoolFile.move(path(.hold, id, "status"), path(.queue, id, "status"))
        }
        try SpoolFile.remove(path(.hold, id, "ref"))
        try SpoolFile.syncDirectory(directory(.hold))
    }
}
