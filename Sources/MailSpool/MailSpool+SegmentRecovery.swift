/// The start-up scan of the segments written by earlier processes.
extension MailSpool {
    /// What the scan of earlier segments found.
    struct SegmentIndex {
        /// Unfinished records, by entry.
        var records: [QueueID: SegmentLocation] = [:]
        /// Entries listed as finished in some segment's `.done` file.
        var finished: Set<QueueID> = []
        /// Unfinished records per segment.
        var live: [QueueID: Set<QueueID>] = [:]
    }

    /// Verify every segment this process did not write, and make the references agree with
    /// them: a reference whose record is finished is removed; one whose record is missing or
    /// damaged is quarantined; an unfinished record without a reference (lost in a crash
    /// after its fdatasync) gets one again in `queue/`. A torn tail (a record that no
    /// completed fdatasync covered, so never acknowledged) is dropped; a damaged stretch
    /// before valid records is copied to `corrupt/`. Segments with nothing unfinished are
    /// deleted.
    func recoverSegments(into recovery: inout Recovery) throws {
        var index = SegmentIndex()
        for name in try SpoolFile.list(segments.directory) where name.hasSuffix(".log") {
            guard let segment = QueueID(String(name.dropLast(4))), !segments.ledger.knows(segment) else { continue }
            try scan(segment, into: &index, recovery: &recovery)
        }
        for area in [Area.queue, .hold] {
            for name in try SpoolFile.list(directory(area)) where name.hasSuffix(".ref") {
                guard let id = QueueID(String(name.dropLast(4))) else { continue }
                let stored = try? location(area, id)
                if let stored, segments.ledger.knows(stored.segment) { continue }  // written by this process
                if let found = index.records.removeValue(forKey: id) {
                    if stored != found { try SpoolFile.writeNew(path(area, id, "ref"), found.text) }
                } else if index.finished.contains(id) {
                    try SpoolFile.remove(path(area, id, "ref"))
                    try SpoolFile.remove(path(area, id, "status"))
                } else {
                    let reason = "segment record missing or damaged"
                    try SpoolFile.writeNew(path(.corrupt, id, "reason"), Array((reason + "\n").utf8))
                    try quarantineReference(id, in: area)
                    recovery.quarantined[id] = reason
                }
            }
        }
        for (id, location) in index.records {
            try SpoolFile.writeNew(path(.queue, id, "ref"), location.text)
            recovery.restoredReferences += 1
        }
        for (segment, ids) in index.live where segments.ledger.adopt(segment, live: ids) {
            segments.removeSegment(segment)
            recovery.removedSegments += 1
        }
    }

    private func scan(_ segment: QueueID, into index: inout SegmentIndex, recovery: inout Recovery) throws {
        let bytes = try SpoolFile.readAll(segments.logPath(segment))
        let done = try segments.doneIDs(segment)
        index.finished.formUnion(done)
        var live = Set<QueueID>()
        let scan = SegmentRecord.scan(bytes)
        for record in scan.records {
            let payload = Array(bytes[(record.offset + SegmentRecord.headerLength)..<(record.offset + record.length)])
            // The digest matched, so the payload is what was written; an envelope that does
            // not parse was written by a different version: left in corrupt/ by quarantine.
            guard let (envelope, _) = try? SpoolFormat.parse(payload) else {
                try keepDamaged(segment, record.offset..<(record.offset + record.length), bytes, reason: "unreadable record")
                recovery.quarantinedRecords += 1
                continue
            }
            guard !done.contains(envelope.id) else { continue }
            index.records[envelope.id] = SegmentLocation(segment: segment, offset: record.offset, length: record.length)
            live.insert(envelope.id)
        }
        for range in scan.damaged {
            if range.upperBound == bytes.count {
                recovery.tornRecords += 1
            } else {
                try keepDamaged(segment, range, bytes, reason: "damaged segment bytes before valid records")
                recovery.quarantinedRecords += 1
            }
        }
        index.live[segment] = live
    }

    /// Copy damaged bytes to `corrupt/<segment>-<offset>.damaged` with a `.reason` file.
    private func keepDamaged(_ segment: QueueID, _ range: Range<Int>, _ bytes: [UInt8], reason: String) throws {
        let base = "\(directory(.corrupt))/\(segment)-\(range.lowerBound)"
        guard !SpoolFile.exists(base + ".damaged") else { return }
        try SpoolFile.writeNew(base + ".reason", Array("\(reason) (segment \(segment), octets \(range.lowerBound)..<\(range.upperBound))\n".utf8))
        try SpoolFile.writeNew(base + ".damaged", Array(bytes[range]))
        try SpoolFile.syncDirectory(directory(.corrupt))
    }
}
