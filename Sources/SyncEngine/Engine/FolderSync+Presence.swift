import MailModel
import StateStore

extension FolderSync {
    /// Complete means present: every record that stands for a copy in this destination folder
    /// (same UIDVALIDITY) must still find its UID there. When the destination's UIDNEXT and
    /// count are those the last run left, nothing can be missing and nothing is listed;
    /// otherwise one UID listing (flags only) tells. A missing copy's record is dropped so the
    /// message is copied again, or, with `--keep-destination-deletions`, kept as
    /// ``MessageRecord/State/keptDeleted`` and reported. Records kept deleted by an earlier
    /// run are dropped when the option is not given. A dry run changes the ledger only.
    ///
    /// Returns how many records were dropped (their messages are to be copied again).
    func checkPresence(
        pair: FolderPairRecord?, status: FolderStatus, ledger: inout RecordLedger, report: inout FolderReport
    ) async throws -> Int {
        // Nothing to list and no kept deletion to forget: the destination is as the last run
        // left it (which saw every copy there).
        let unchanged = pair.map { isDestinationUnchanged(pair: $0, status: status) } ?? false
        if unchanged, options.keepDestinationDeletions || ledger.keptDeletions == 0 { return 0 }
        let here = ledger.records.values.filter {
            $0.destinationFolder == destinationName && $0.destinationUIDValidity == status.uidValidity
        }
        var gone = options.keepDestinationDeletions ? [] : here.filter { $0.state == .keptDeleted }
        var kept: [MessageRecord] = []
        let held = here.filter { $0.holdsCopy && $0.destinationUID != nil }
        if !held.isEmpty, !unchanged {
            let present = Set(try await destination.summaries(.flagsOnly(below: UID(exactly: max(status.uidNext, 1)))).map(\.uid))
            for record in held where !present.contains(record.destinationUID!) {
                if options.keepDestinationDeletions {
                    var record = record
                    record.state = .keptDeleted
                    kept.append(record)
                } else {
                    gone.append(record)
                }
            }
        }
        guard !gone.isEmpty || !kept.isEmpty else { return 0 }
        if !options.dryRun {
            try await stateStore.replaceMessages(account: account, sourceFolder: sourceName, removing: gone.map(\.sourceKey), saving: kept)
        }
        ledger.remove(gone.map(\.sourceKey))
        ledger.update(kept)
        report.restored = gone.count
        return gone.count
    }

    /// One source folder never fills two destination folders. When the plan maps a folder to
    /// another destination folder than an earlier run did (a rename rule, a role folder the
    /// source gained meanwhile) and the earlier destination folder still holds copies, copying
    /// into the new one would store every message twice: the folder is refused, saying how to
    /// go on. When the earlier destination folder is gone, the copies are looked for in the new
    /// one (a folder renamed on the destination) and the rest copied.
    func refuseRemapping(from pair: FolderPairRecord, ledger: RecordLedger) async throws {
        let previous = pair.destinationFolder
        guard previous != destinationName,
            ledger.records.values.contains(where: { $0.holdsCopy && $0.destinationFolder == previous })
        else { return }
        do {
            _ = try await destination.open(MailboxName(previous, separator: mapping.destination.separator))
        } catch let error as StoreError where error.kind == .folder {
            return
        }
        throw StoreError(
            .folder,
            "an earlier run copied this folder into \"\(previous)\", and the plan now maps it to \"\(destinationName)\": "
                + "copying it again would store its messages in both. Keep the earlier target with "
                + "--map '\(sourceName)=\(previous)', or rename \"\(previous)\" to \"\(destinationName)\" on the destination first")
    }
}
