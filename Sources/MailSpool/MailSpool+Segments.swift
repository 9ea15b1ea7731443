/// Small messages: committed as records in a shared segment (group commit).
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
        let location = try segments.append(SegmentRecord.encode(payload), id: envelope.id)
        do {
            // The reference is not fsynced: recovery rebuilds it from the segment.
            try SpoolFile.writeNew(path(.queue, envelope.id, "ref"), location.text)
        } catch {
            try? SpoolFile.remove(path(.queue, envelope.id, "ref"))
            try? segments.finish(envelope.id, in: location.segment)
            throw error
        }
        return SpoolEntry(envelope: envelope, bodyLength: body.count, contains8Bit: body.contains { $0 >= 0x80 },
                          states: Array(repeating: .pending, count: envelope.recipients.count), attempts: 0, nextAttemptAt: nil, held: false)
    }

    /// Remove a small entry's reference and journal after listing its record as finished
    /// (in that order: a crash in between leaves a reference that recovery sees is done).
    func removeReference(_ id: QueueID, in area: Area) throws {
        if let location = try? location(area, id) {
            try segments.finish(id, in: location.segment)
        }
        try SpoolFile.remove(path(area, id, "ref"))
        try SpoolFile.remove(path(area, id, "status"))
    }

    /// Quarantine a small entry: its record's bytes are copied to `corrupt/<id>.msg` (as they
    /// are, for the operator), then the record is finished.
    func quarantineReference(_ id: QueueID, in area: Area) throws {
        if let location = try? location(area, id), let bytes = segments.rawBytes(location) {
            let payload = bytes.count > SegmentRecord.headerLength ? Array(bytes[SegmentRecord.headerLength...]) : bytes
            try SpoolFile.writeNew(path(.corrupt, id, "msg"), payload)
            if SpoolFile.exists(path(area, id, "status")) {
                try SpoolFile.move(path(area, id, "status"), path(.corrupt, id, "status"))
            }
            try removeReference(id, in: area)
        } else {
            if SpoolFile.exists(path(area, id, "status")) {
                try SpoolFile.move(path(area, id, "status"), path(.corrupt, id, "status"))
            }
            try SpoolFile.renameDurably(path(area, id, "ref"), path(.corrupt, id, "ref"), directory: directory(.corrupt))
        }
        try SpoolFile.syncDirectory(directory(.corrupt))
    }
}
