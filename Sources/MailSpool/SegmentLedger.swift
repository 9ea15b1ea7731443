import Foundation

/// The in-memory index of segment records: where every unfinished record of the segments
/// this process knows (the ones it wrote, and the ones recovery adopted) is, and which
/// segments may be deleted.
///
/// Queued small messages have no file of their own, so this index is how the process that
/// owns the spool finds them; another process (`mirror queue`) scans the segments instead.
/// A segment is deleted only once it is sealed (nothing more is appended to it) and every
/// record in it is finished, quarantined or abandoned. Records are tracked by ID, so
/// finishing the same entry twice cannot empty a segment early. Segments the ledger does not
/// know (written by an earlier process, before recovery ran) are never deleted by it.
final class SegmentLedger: @unchecked Sendable {  // all state behind `lock`
    private let lock = NSLock()
    /// Unfinished records per segment.
    private var live: [QueueID: Set<QueueID>] = [:]
    private var locations: [QueueID: SegmentLocation] = [:]
    private var open: Set<QueueID> = []

    /// The log created `segment` and appends to it.
    func opened(_ segment: QueueID) {
        lock.withLock {
            open.insert(segment)
            live[segment] = live[segment] ?? []
        }
    }

    /// A record for `id` was written at `location`.
    func added(_ id: QueueID, at location: SegmentLocation) {
        lock.withLock {
            live[location.segment, default: []].insert(id)
            locations[id] = location
        }
    }

    /// The segment was written by this process or adopted by recovery.
    func knows(_ segment: QueueID) -> Bool {
        lock.withLock { live[segment] != nil }
    }

    /// Where the unfinished record of `id` is, if its segment is known.
    func location(of id: QueueID) -> SegmentLocation? {
        lock.withLock { locations[id] }
    }

    /// Every unfinished record of the known segments.
    var records: [QueueID: SegmentLocation] {
        lock.withLock { locations }
    }

    /// Nothing more is appended to `segment`. Returns true if it is now to be deleted.
    func sealed(_ segment: QueueID) -> Bool {
        lock.withLock {
            open.remove(segment)
            return takeIfEmpty(segment)
        }
    }

    /// The record for `id` in `segment` is finished. Returns true if the segment is now to
    /// be deleted.
    func finished(_ id: QueueID, in segment: QueueID) -> Bool {
        lock.withLock {
            guard live[segment]?.remove(id) != nil else { return false }
            locations[id] = nil
            return takeIfEmpty(segment)
        }
    }

    /// Recovery found `segment` (written by an earlier process) with these unfinished
    /// records. Returns true if it is to be deleted (nothing left in it); false if it is now
    /// tracked, or was already known.
    func adopt(_ segment: QueueID, records: [QueueID: SegmentLocation]) -> Bool {
        lock.withLock {
            guard live[segment] == nil, !open.contains(segment) else { return false }
            if records.isEmpty { return true }
            live[segment] = Set(records.keys)
            locations.merge(records) { _, new in new }
            return false
        }
    }

    private func takeIfEmpty(_ segment: QueueID) -> Bool {
        guard !open.contains(segment), let ids = live[segment], ids.isEmpty else { return false }
        live[segment] = nil
        return true
    }
}
