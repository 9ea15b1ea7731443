import MailModel
import StateStore

extension FolderSync {
    /// Copies mailferry made whose source message is gone (expunged on the source, or not
    /// found again after a source UIDVALIDITY change). Only messages this tool appended
    /// qualify: never a message it merely found there, never one a user delivered.
    func extraneousRecords(
        sourceUIDs: Set<UID>, sourceValidity: UIDValidity, destination status: FolderStatus, ledger: RecordLedger
    ) -> [MessageRecord] {
        ledger.records.values.filter { record in
            record.state == .copied && record.destinationFolder == destinationName
                && record.destinationUIDValidity == status.uidValidity && record.destinationUID != nil
                && (record.sourceUIDValidity != sourceValidity || !sourceUIDs.contains(record.sourceUID))
        }.sorted { ($0.destinationUID?.rawValue ?? 0) < ($1.destinationUID?.rawValue ?? 0) }
    }

    /// Remove the extraneous copies (UID EXPUNGE of exactly those UIDs) and their records.
    func deleteExtraneous(
        sourceUIDs: Set<UID>, sourceValidity: UIDValidity, destination status: FolderStatus, ledger: inout RecordLedger
    ) async throws -> Int {
        let victims = extraneousRecords(sourceUIDs: sourceUIDs, sourceValidity: sourceValidity, destination: status, ledger: ledger)
        guard !victims.isEmpty else { return 0 }
        try await destination.expunge(victims.compactMap(\.destinationUID))
        try await stateStore.deleteMessages(account: account, sourceFolder: sourceName, keys: victims.map(\.sourceKey))
        ledger.remove(victims.map(\.sourceKey))
        return victims.count
    }
}
