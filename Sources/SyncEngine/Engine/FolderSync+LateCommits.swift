import MailModel
import StateStore

extension FolderSync {
    /// Right before `doubtful` (messages whose earlier APPEND may still be committed) are
    /// appended again: select the folder afresh and, if UIDs were handed out above the lowest
    /// mark since, fingerprint the new messages of the right sizes. Those found join
    /// `available`, so the batch records them instead of appending a second copy. No timed
    /// wait: the search is made at the last moment before the APPEND it guards.
    func lookForLateCommits(
        of doubtful: [StagedMessage], uncertain: UncertainAppends, status: FolderStatus, ledger: RecordLedger,
        available: inout [MessageFingerprint: [MessageSummary]]
    ) async throws {
        guard let lowest = doubtful.compactMap({ uncertain.mark(of: $0.fingerprint) }).min() else { return }
        let live = try await destination.open(mapping.destination)
        guard live.uidValidity == status.uidValidity, live.uidNext > lowest else { return }
        let claimed = ledger.claimedDestinationUIDs(folder: destinationName, validity: status.uidValidity)
            .union(available.values.flatMap { $0.map(\.uid) })
        let sizes = Set(doubtful.map(\.size))
        let candidates = try await destination.summaries(SummaryRequest(from: UID(exactly: max(lowest, 1))))
            .filter { !claimed.contains($0.uid) && sizes.contains($0.size) }
        let byUID = Dictionary(candidates.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        for (fingerprint, uids) in try await fingerprintPool(of: candidates.map(\.uid)) {
            available[fingerprint, default: []] += uids.compactMap { byUID[$0] }
        }
    }
}
