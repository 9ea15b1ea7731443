import MailModel
import StateStore

extension FolderSync {
    /// The source's UIDVALIDITY changed: find each earlier-copied message again by its bytes
    /// and move its record to the new UID, so nothing is copied a second time.
    func reidentifySource(summaries: [MessageSummary], validity: UIDValidity, ledger: inout RecordLedger) async throws {
        let old = ledger.records.values.filter { $0.sourceUIDValidity != validity && $0.state != .rejected }
        let sizes = Set(old.map(\.size))
        let candidates = summaries.filter { sizes.contains($0.size) }.map(\.uid).sorted()
        guard !candidates.isEmpty else { return }
        let sink = HashingSink()
        try await source.fetchBodies(candidates, into: sink)
        var pool = Dictionary(grouping: old, by: \.fingerprint).mapValues { $0.sorted { $0.sourceUID < $1.sourceUID } }
        var removed: [MessageRecord.SourceKey] = []
        var rebound: [MessageRecord] = []
        for uid in candidates {
            guard let fingerprint = sink.fingerprints[uid], var record = pool[fingerprint]?.first else { continue }
            pool[fingerprint]!.removeFirst()
            removed.append(record.sourceKey)
            record.sourceUIDValidity = validity
            record.sourceUID = uid
            rebound.append(record)
        }
        try await store.replaceMessages(account: account, sourceFolder: sourceName, removing: removed, saving: rebound)
        ledger.remove(removed)
        ledger.update(rebound)
    }

    /// Settle the journal and follow destination changes: an unconfirmed APPEND is looked for
    /// above the UIDNEXT noted before it was sent; after a destination UIDVALIDITY change (or a
    /// changed mapping) every copy is looked for again. Found: confirmed with its UID. Not found:
    /// the record is dropped so the message is copied again. Returns how many APPENDs were
    /// recovered.
    func reconcileDestination(status: FolderStatus, ledger: inout RecordLedger) async throws -> Int {
        let unsettled = ledger.records.values.filter { record in
            guard record.state != .rejected else { return false }
            if record.state == .pending { return true }
            return record.destinationFolder != destinationName || record.destinationUIDValidity != status.uidValidity
        }
        guard !unsettled.isEmpty else { return 0 }
        let onlyPending = unsettled.allSatisfy {
            $0.state == .pending && $0.destinationFolder == destinationName && $0.destinationUIDValidity == status.uidValidity
        }
        let lowest = onlyPending ? unsettled.compactMap(\.destinationUIDNextBefore).min() ?? 1 : 1
        let claimed = ledger.claimedDestinationUIDs(folder: destinationName, validity: status.uidValidity)
        let sizes = Set(unsettled.map(\.size))
        let candidates = try await destination.summaries(from: UID(max(lowest, 1)), changedSince: nil)
            .filter { !claimed.contains($0.uid) && sizes.contains($0.size) }
        var pool = try await fingerprintPool(of: candidates.map(\.uid))

        var found: [MessageRecord] = []
        var lost: [MessageRecord.SourceKey] = []
        var recovered = 0
        for var record in unsettled.sorted(by: { $0.sourceUID < $1.sourceUID }) {
            if let uid = pool[record.fingerprint]?.first {
                pool[record.fingerprint]!.removeFirst()
                if record.state == .pending {
                    record.state = .copied
                    recovered += 1
                }
                record.destinationUID = uid
                record.destinationUIDValidity = status.uidValidity
                record.destinationFolder = destinationName
                found.append(record)
            } else {
                lost.append(record.sourceKey)
            }
        }
        try await store.replaceMessages(account: account, sourceFolder: sourceName, removing: lost, saving: found)
        ledger.remove(lost)
        ledger.update(found)
        return recovered
    }

    /// Destination messages no record accounts for, with a size some message to copy has, by
    /// fingerprint: a message already there byte for byte is not copied again (a lost state
    /// directory, an earlier tool's copy).
    func unclaimedDestinationMessages(
        status: FolderStatus, ledger: RecordLedger, sizes: Set<Int>
    ) async throws -> [MessageFingerprint: [MessageSummary]] {
        guard status.messageCount > 0 else { return [:] }
        let claimed = ledger.claimedDestinationUIDs(folder: destinationName, validity: status.uidValidity)
        let candidates = try await destination.summaries(from: nil, changedSince: nil)
            .filter { !claimed.contains($0.uid) && sizes.contains($0.size) }
        guard !candidates.isEmpty else { return [:] }
        let sink = HashingSink()
        try await destination.fetchBodies(candidates.map(\.uid), into: sink)
        var pool: [MessageFingerprint: [MessageSummary]] = [:]
        for summary in candidates.sorted(by: { $0.uid < $1.uid }) {
            if let fingerprint = sink.fingerprints[summary.uid] { pool[fingerprint, default: []].append(summary) }
        }
        return pool
    }

    /// Fingerprints of destination messages, grouped, each group in ascending UID order.
    func fingerprintPool(of uids: [UID]) async throws -> [MessageFingerprint: [UID]] {
        guard !uids.isEmpty else { return [:] }
        let sink = HashingSink()
        try await destination.fetchBodies(uids, into: sink)
        var pool: [MessageFingerprint: [UID]] = [:]
        for uid in uids.sorted() {
            if let fingerprint = sink.fingerprints[uid] { pool[fingerprint, default: []].append(uid) }
        }
        return pool
    }
}
