import MailModel
import StateStore

/// The message records of one folder pair held in memory during a run, indexed the ways the
/// engine asks for them. Every change is also written to the state store by the caller.
///
/// The questions every pass asks of every folder (is an APPEND unconfirmed, a message
/// refused, a copy kept deleted, a record under another UIDVALIDITY or elsewhere than this
/// destination folder?) are answered from counts kept as records come and go, not by walking
/// the records: a walk copies each record out of the dictionary, and a re-run with nothing to
/// copy would otherwise do that several times per folder before it knows it is done.
struct RecordLedger {
    private(set) var records: [MessageRecord.SourceKey: MessageRecord] = [:]
    private var tally = Tally()

    // The dictionary is sized up front: a folder of thousands of records otherwise grows it a
    // dozen times, rehashing every record each time, and a no-op re-run does this for every
    // folder.
    init(records: [MessageRecord]) {
        self.records.reserveCapacity(records.count)
        for record in records { put(record) }
    }

    /// The record of the source message `uid` under `validity`.
    func record(uid: UID, validity: UIDValidity) -> MessageRecord? {
        records[MessageRecord.SourceKey(uidValidity: validity, uid: uid)]
    }

    /// How many records there are under the source's `validity`.
    func count(validity: UIDValidity) -> Int { tally.bySourceValidity[validity, default: 0] }

    /// True if an APPEND was journaled and never confirmed.
    var hasUnsettled: Bool { tally.pending > 0 }

    /// True if a record is not settled in `folder` under `validity`: an APPEND journaled and
    /// never confirmed, or a copy recorded in another destination folder or UIDVALIDITY.
    /// Refused messages do not count (they have no copy anywhere).
    func hasUnsettled(in folder: String, validity: UIDValidity) -> Bool {
        let settledHere = tally.settled[Tally.Destination(folder: folder, validity: validity), default: 0]
        return settledHere < records.count - tally.rejectedBySourceValidity.values.reduce(0, +)
    }

    /// True if a message under `validity` was refused by the destination (it is copied again).
    func hasRejected(validity: UIDValidity) -> Bool { tally.rejectedBySourceValidity[validity, default: 0] > 0 }

    /// Copies deleted on the destination that an earlier run left deleted on request.
    var keptDeletions: Int { tally.keptDeleted }

    func hasRecords(otherThan validity: UIDValidity) -> Bool { count(validity: validity) < records.count }

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
        for record in changed { put(record) }
    }

    mutating func remove(_ keys: [MessageRecord.SourceKey]) {
        for key in keys {
            if let old = records.removeValue(forKey: key) { tally.count(old, by: -1) }
        }
    }

    private mutating func put(_ record: MessageRecord) {
        if let old = records.updateValue(record, forKey: record.sourceKey) { tally.count(old, by: -1) }
        tally.count(record, by: 1)
    }

    /// The counts behind the ledger's questions, changed with every record put or removed.
    private struct Tally {
        struct Destination: Hashable {
            var folder: String
            var validity: UIDValidity?
        }

        var pending = 0
        var keptDeleted = 0
        var bySourceValidity: [UIDValidity: Int] = [:]
        var rejectedBySourceValidity: [UIDValidity: Int] = [:]
        /// Records neither pending nor refused, by where their copy is.
        var settled: [Destination: Int] = [:]

        mutating func count(_ record: MessageRecord, by step: Int) {
            bySourceValidity[record.sourceUIDValidity, default: 0] += step
            switch record.state {
            case .pending:
                pending += step
            case .rejected:
                rejectedBySourceValidity[record.sourceUIDValidity, default: 0] += step
            case .keptDeleted:
                keptDeleted += step
            case .copied, .matched:
                break
            }
            if record.state != .pending, record.state != .rejected {
                settled[Destination(folder: record.destinationFolder, validity: record.destinationUIDValidity), default: 0] += step
            }
        }
    }
}
