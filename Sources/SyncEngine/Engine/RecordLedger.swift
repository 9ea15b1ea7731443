import MailModel
import StateStore

/// The message records of one folder pair held in memory during a run, indexed the ways the
/// engine asks for them. Every change is also written to the state store by the caller.
struct RecordLedger {
    private(set) var records: [MessageRecord.SourceKey: MessageRecord] = [:]

    // Both dictionaries are sized up front: a folder of thousands of records otherwise grows
    // them a dozen times, rehashing every record each time, and a no-op re-run does this for
    // every folder.
    init(records: [MessageRecord]) {
        self.records.reserveCapacity(records.count)
        for record in records { self.records[record.sourceKey] = record }
    }

    /// Records under the source's current UIDVALIDITY, by source UID.
    func current(validity: UIDValidity) -> [UID: MessageRecord] {
        var result: [UID: MessageRecord] = [:]
        result.reserveCapacity(records.count)
        for record in records.values where record.sourceUIDValidity == validity { result[record.sourceUID] = record }
        return result
    }

    /// True if an APPEND was journaled and never confirmed.
    var hasUnsettled: Bool { records.values.contains { $0.state == .pending } }

    /// True if a message under `validity` was refused by the destination (it is copied again).
    func hasRejected(validity: UIDValidity) -> Bool {
        records.values.contains { $0.sourceUIDValidity == validity && $0.state == .rejected }
    }

    /// Copies deleted on the destination that an earlier run left deleted on request.
    var keptDeletions: Int { records.values.filter { $0.state == .keptDeleted }.count }

    func hasRecords(otherThan validity: UIDValidity) -> Bool {
        records.values.contains { $0.sourceUIDValidity != validity }
    }

    /// Destination UIDs that records already account for in `folder` under `validity`.
    func claimedDestinationUIDs(folder: String, validity: UIDValidity) -> Set<UID> {
        var uids = Set<UID>()
        for record in records.values
        where record.destinationFolder == folder && record.destinationUIDValidity == validity
            && record.state != .rejected && record.state != .keptDeleted
        {
            if let uid = record.destinationUID { uids.insert(uid) }
        }
        return uids
    }

    mutating func update(_ changed: [MessageRecord]) {
        for record in changed { records[record.sourceKey] = record }
    }

    mutating func remove(_ keys: [MessageRecord.SourceKey]) {
        for key in keys { records[key] = nil }
    }
}
