/// The start-up scan of the segments written by earlier processes.
extension MailSpool {
    /// Verify every segment this process does not know and adopt its unfinished records, so
    /// that they are delivered: every record a completed fdatasync covered is found again. A
    /// torn tail (a record no completed fdatasync covered, so never acknowledged) is dropped;
    /// a damaged stretch before valid records is copied to `corrupt/`. Segments with nothing
    /// unfinished are deleted.
    func recoverSegments(into recovery: inout Recovery) throws {
        var found: [QueueID: SegmentLocation] = [:]
        var adopted: [QueueID: [QueueID: SegmentLocation]] = [:]
        for name in try SpoolFile.list(segments.directory) where name.hasSuffix(".log") {
            guard let segment = QueueID(String(name.dropLast(4))), !segments.ledger.knows(segment) else { continue }
            let contents = try SegmentContents(segment, log: segments)
            recovery.tornRecords += contents.damaged.filter(contents.isTail).count
            for range in contents.damaged.filter({ !contents.isTail($0) }) + contents.unreadable {
                try keepDamaged(segment, range, contents.bytes)
                recovery.quarantinedRecords += 1
            }
            found.merge(contents.records) { old, _ in old }
            adopted[segment] = contents.records
        }
        // A crash while a record moved to a file of its own leaves both: the file wins.
        for (id, record) in found where SpoolFile.exists(path(.queue, id, "msg")) || SpoolFile.exists(path(.hold, id, "msg")) {
            try segments.finish(id, in: record.segment)
            adopted[record.segment]?[id] = nil
        }
        for (segment, records) in adopted where segments.ledger.adopt(segment, records: records) {
            segments.removeSegment(segment)
            recovery.removedSegments += 1
        }
    }

    /// Copy damaged bytes to `corrupt/<segment>-<offset>.damaged` with a `.reason` file.
    private func keepDamaged(_ segment: QueueID, _ range: Range<Int>, _ bytes: [UInt8]) throws {
        let base = "\(directory(.corrupt))/\(segment)-\(range.lowerBound)"
        guard !SpoolFile.exists(base + ".damaged") else { return }
        let reason = "segment \(segment): octets \(range.lowerBound)..<\(range.upperBound) hold no valid record\n"
        try SpoolFile.writeNew(base + ".reason", Array(reason.utf8))
        try SpoolFile.writeNew(base + ".damaged", Array(bytes[range]))
        try SpoolFile.syncDirectory(directory(.corrupt))
    }
}
