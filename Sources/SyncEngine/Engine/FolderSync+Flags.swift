import MailModel
import StateStore

extension FolderSync {
    /// Carry flag changes made on the source since the last sync over to the copies.
    ///
    /// Conflict policy: a flag the source changed since the last sync takes the source's
    /// value on the destination; flags only the destination changed are left alone (a user
    /// already working on the new server keeps their changes). The record keeps the source's
    /// flags as the base of the next comparison.
    func propagateFlags(
        summaries: [MessageSummary], validity: UIDValidity, destination status: FolderStatus,
        ledger: inout RecordLedger, report: inout FolderReport
    ) async throws -> Int {
        var changes: [FlagChange: [UID]] = [:]
        var updated: [MessageRecord] = []
        for summary in summaries {
            guard var record = ledger.record(uid: summary.uid, validity: validity), record.state == .copied || record.state == .matched,
                record.destinationFolder == destinationName, record.destinationUIDValidity == status.uidValidity,
                let destinationUID = record.destinationUID
            else { continue }
            let flags = summary.flags.subtracting([.recent])
            guard flags != record.syncedFlags else { continue }
            let added = storableFlags(flags.subtracting(record.syncedFlags), uid: summary.uid, status: status, report: &report)
            let change = FlagChange(adding: added, removing: record.syncedFlags.subtracting(flags))
            if !change.isEmpty { changes[change, default: []].append(destinationUID) }
            record.syncedFlags = flags
            updated.append(record)
        }
        guard !updated.isEmpty else { return 0 }
        for (change, uids) in changes.sorted(by: { $0.value.count > $1.value.count }) {
            try await destination.storeFlags(uids.sorted(), adding: change.adding, removing: change.removing)
        }
        try await stateStore.saveMessages(updated)
        ledger.update(updated)
        return updated.count
    }
}
