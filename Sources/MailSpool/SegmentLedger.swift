import Foundation

/// Which segments may be deleted: the unfinished records of every segment this process
/// knows (the ones it wrote, and the ones recovery adopted).
///
/// A segment is deleted only once it is sealed (nothing more is appended to it) and every
/// record in it is finished, quarantined or abandoned. Records are tracked by ID, so
/// finishing the same entry twice (a recovery that completes it again) cannot empty a
/// segment early. Segments the ledger does not know (written by an earlier process before
/// recovery ran) are never deleted by it: recovery decides about those.
final class SegmentLedger: @unchecked Sendable {  // all state behind `lock`
    private let lock = NSLock()
    private var live: [QueueID: Set<QueueID>] = [:]
    private var open: Set<QueueID> = []

    /// The log created `segment` and appends to it.
    func opened(_ segment: QueueID) {
        lock.withLock {
            open.insert(segment)
            live[segment, default: []] = live[segment] ?? []
        }
    }

    /// A record for `id` was written to `segment`.
    func added(_ id: QueueID, to segment: QueueID) {
        lock.withLock { _ = live[segment, default: []].insert(id) }
    }

    /// The segment was written by this process or adopted by recovery.
    func knows(_ segment: QueueID) -> Bool {
        lock.withLock { live[segment] != nil }
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
            return takeIfEmpty(segment)
        }
    }

    /// Recovery found `segment` (written by an earlier process) with these unfinished
    /// records. Returns true if it is to be deleted (nothing left in it); false if it is now
    /// tracked, or was already known.
    func adopt(_ segment: QueueID, live ids: Set<QueueID>) -> Bool {
        lock.withLock {
            guard live[segment] == nil, !open.contains(segment) else { return false }
            if ids.isEmpty { return true }
            live[segment] = ids
            return false
        }
    }

    private func takeIfEmpty(_ segment: QueueID) -> Bool {
        guard !open.contains(segment), let ids = live[segment], ids.isEmpty else { return false }
        live[segment] = nil
        return true
    }
}
