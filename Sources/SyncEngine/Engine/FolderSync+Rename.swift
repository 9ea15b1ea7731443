import MailModel
import StateStore

extension FolderSync {
    /// A folder renamed on the source (`A` to `B` between runs) has no state under its new
    /// name, and copying it as new would store every message of `A` a second time, in a new
    /// destination folder next to the old one. A folder with no state of its own is taken for
    /// such a rename when an earlier pair has its source UIDVALIDITY, the old source name is
    /// gone, the old destination folder is still there, and messages recorded as copied from
    /// the old name are under the same UIDs here. It is then refused with what to do, since
    /// whether the destination folder should be renamed too is the user's decision.
    /// Runs only for a folder without state, and opens folders only for a candidate whose old
    /// name this run's listing did not show: a steady-state run pays nothing, and neither does
    /// a first run of folders that share one UIDVALIDITY (Courier takes it from the clock, so
    /// folders made in the same second have the same one). Leaves the source folder open.
    func refuseRename(status: FolderStatus) async throws {
        let candidates = try await stateStore.folderPairs(account: account).filter {
            $0.sourceUIDValidity == status.uidValidity && !$0.sourceFolder.utf8.elementsEqual(sourceName.utf8)
                && !$0.destinationFolder.utf8.elementsEqual(destinationName.utf8)
                && !listedSourceFolders.contains(Array($0.sourceFolder.utf8))
        }
        guard !candidates.isEmpty else { return }
        var found: (pair: FolderPairRecord, copies: Int)?
        var uids: Set<UID>?
        var sourceMoved = false
        for old in candidates {
            let records = try await stateStore.messages(account: account, sourceFolder: old.sourceFolder).filter {
                $0.holdsCopy && $0.sourceUIDValidity == status.uidValidity
            }
            guard !records.isEmpty else { continue }
            sourceMoved = true
            if try await exists(MailboxName(old.sourceFolder, separator: mapping.source.name.separator), on: source) { continue }
            if try await !exists(MailboxName(old.destinationFolder, separator: mapping.destination.separator), on: destination) {
                continue
            }
            if uids == nil {
                _ = try await source.open(mapping.source.name)
                uids = Set(try await source.summaries(.all).map(\.uid))
            }
            let copies = records.filter { uids!.contains($0.sourceUID) }.count
            if copies > 0 { found = (old, copies); break }
        }
        if sourceMoved { _ = try await source.open(mapping.source.name) }
        guard let (old, copies) = found else { return }
        throw StoreError(
            .folder,
            "this folder looks like \"\(old.sourceFolder)\" renamed on the source (same UIDVALIDITY, \(copies) of its messages "
                + "were copied from there into \"\(old.destinationFolder)\", and \"\(old.sourceFolder)\" is gone): copying it "
                + "into \"\(destinationName)\" would store them twice. Rename \"\(old.destinationFolder)\" to "
                + "\"\(destinationName)\" on the destination (the next run matches the messages already there), "
                + "or keep the earlier target with --map '\(sourceName)=\(old.destinationFolder)'")
    }

    /// Whether `folder` can be opened; a folder error means it is not there.
    private func exists(_ folder: MailboxName, on session: any MailboxReader) async throws -> Bool {
        do {
            _ = try await session.open(folder)
            return true
        } catch let error as StoreError where error.kind == .folder {
            return false
        }
    }
}
