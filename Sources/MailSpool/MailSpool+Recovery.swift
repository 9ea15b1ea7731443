/// The start-up scan.
extension MailSpool {
    /// What recovery found and did.
    public struct Recovery: Hashable, Sendable {
        /// Entries to deliver (queued, not finished), oldest first.
        public var entries: [SpoolEntry] = []
        /// Entries on hold.
        public var held: [SpoolEntry] = []
        /// Unacknowledged files removed from `tmp/`.
        public var removedTemporary = 0
        /// Entries moved to `corrupt/`, with the reason.
        public var quarantined: [QueueID: String] = [:]
        /// Entries whose recipients were all final, or that `finished.jsonl` already lists
        /// (a crash between the record and the deletion): completed now, not delivered again.
        public var completed: [QueueID] = []
        /// Journals whose message file was already gone.
        public var removedOrphans = 0
        /// Segment records torn at a segment's end: no completed fdatasync covered them, so
        /// they were never acknowledged; dropped.
        public var tornRecords = 0
        /// Damaged segment stretches followed by valid records: copied to `corrupt/`.
        public var quarantinedRecords = 0
        /// Segments with nothing left to deliver: deleted.
        public var removedSegments = 0
    }

    /// Make this process the spool's only writer (`SpoolOwnerLock`), until it exits; throws if
    /// another process is. `recover` does it too; call it first to fail before accepting mail.
    public func claimOwnership() throws {
        try SpoolOwnerLock.acquire(root)
    }

    /// Scan the spool after a start or a crash. Nothing acknowledged is lost: committed
    /// entries are verified and returned; torn or damaged ones are quarantined and never
    /// delivered; unacknowledged temporary files and torn segment tails are removed. Makes
    /// this process the spool's owner (`SpoolOwnerLock`); throws if another process is.
    public func recover(now: Double) throws -> Recovery {
        try claimOwnership()
        journal.reserve?.fill()
        var recovery = Recovery()
        for name in try SpoolFile.list(directory(.temporary)) {
            try SpoolFile.remove("\(directory(.temporary))/\(name)")
            recovery.removedTemporary += 1
        }
        try recoverSegments(into: &recovery)
        let records = try segmentRecords()
        let finished = try recentlyFinishedIDs()
        for area in [Area.queue, .hold] {
            let names = try SpoolFile.list(directory(area))
            let ids = try ids(in: area, records: records)
            let present = Set(ids.map(\.rawValue))
            for name in names where name.hasSuffix(".status") && !present.contains(String(name.dropLast(7))) {
                try SpoolFile.remove("\(directory(area))/\(name)")
                recovery.removedOrphans += 1
            }
            for name in names where name.hasSuffix(".msg") && QueueID(String(name.dropLast(4))) == nil {
                try SpoolFile.move("\(directory(area))/\(name)", "\(directory(.corrupt))/\(name)")
            }
            for id in ids {
                if finished.contains(id) {
                    // Logged as finished, then a crash before its deletion: never send it again.
                    try discard(id)
                    recovery.completed.append(id)
                    continue
                }
                let entry: SpoolEntry
                do {
                    entry = try message(id, at: find(id, records: records)).entry
                } catch let error as SpoolError where error.kind == .corrupt {
                    try quarantine(id, reason: error.message)
                    recovery.quarantined[id] = error.message
                    continue
                } catch let error as SpoolError where error.kind == .notFound {
                    continue  // finished meanwhile by this process
                }
                if entry.isFinished {
                    try complete(entry, at: now)
                    recovery.completed.append(id)
                } else if area == .hold {
                    recovery.held.append(entry)
                } else {
                    recovery.entries.append(entry)
                }
            }
        }
        return recovery
    }
}
