/// The start-up scan of the segments written by earlier processes.
extension MailSpool {
    /// Verify every segment this process does not know and adopt its unfinished records, so
    /// that they are delivered: every record a completed fdatasync covered is found again. A
    /// torn tail (a record no completed fdatasync covered, so never acknowledged) is dropped;
    /// a damaged stretch before valid records is copied to `corrupt/`. A held record's
    /// reference is checked against the segments: removed if the record is finished,
    /// quarantined if it is missing. Segments with nothing unfinished are deleted.
    func recoverSegments(into recovery: inout Recovery) throws {
        var found: [QueueID: SegmentLocation] = [:]
        var finished = Set<QueueID>()
        var adopted: [QueueID: [QueueID: SegmentLocation]] = [:]
        for name in try SpoolFile.list(segments.directory) where name.hasSuffix(".log") {
            guard let segment = QueueID(String(name.dropLast(4))), !segments.ledger.knows(segment) else { continue }
            let contents = try SegmentContents(segment, log: segments)
            for range in contents.damaged where contents.isTail(range) { _ = range; recovery.tornRecords += 1 }
            for range in contents.damaged.filter({ !contents.isTail($0) }) + contents.unreadable {
                try keepDamaged(segment, range, contents.bytes)
                recovery.quarantinedRecords += 1
            }
            found.merge(contents.records) { old, _ in old }
            finished.formUnion(contents.finished)
            adopted[segment] = contents.records
        }
        for name in try SpoolFile.list(directory(.hold)) where name.hasSuffix(".ref") {
            guard let id = QueueID(String(name.dropLast(4))) else { continue }
            let stored = try? heldRecord(id)
            if let stored, segments.ledger.knows(stored.segment) { continue }  // written by this process
            if let record = found[id] {
                if stored != record { try SpoolFile.writeNew(path(.hold, id, "ref"), record.text, sync: true) }
            } else if finished.contains(id) {
                try SpoolFile.remove(path(.hold, id, "ref"))
                try SpoolFile.remove(path(.hold, id, "status"))
            } else {
                let reason = "segment record missing or damaged"
                try SpoolFile.writeNew(path(.corrupt, id, "reason"), Array((reason + "\n").utf8))
                if SpoolFile.exists(path(.hold, id, "status")) {
                    try SpoolFile.move(path(.hold, id, "status"), path(.corrupt, id, "status"))
                }
                try SpoolFile.renameDurably(path(.hold, id, "ref"), path(.corrupt, id, "ref"), directory: directory(.corrupt))
                recovery.quarantined[id] = reason
            }
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
