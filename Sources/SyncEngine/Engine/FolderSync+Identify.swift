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
        try await stateStore.replaceMessages(account: account, sourceFolder: sourceName, removing: removed, saving: rebound)
        ledger.remove(removed)
        ledger.update(rebound)
    }

    /// Settle the journal and follow destination changes: an unconfirmed APPEND is looked for
    /// above the UIDNEXT noted before it was sent; after a destination UIDVALIDITY change (or a
    /// changed mapping) every copy is looked for again. Found: confirmed with its UID. Not found:
    /// the record is dropped so the message is copied again. Returns how many APPENDs were
    /// recovered and how many records were dropped.
    ///
    /// Origin: only a journaled APPEND found above the UIDNEXT noted before it, in the same
    /// destination folder and UIDVALIDITY, is taken as mailferry's own copy (`.copied`). A
    /// message found again after the destination's UIDVALIDITY or folder changed may be
    /// anybody's identical copy: it becomes `.matched`, which `--delete-extraneous` never
    /// removes.
    ///
    /// A journaled APPEND not found may still be in the server's hands (a killed run, a
    /// client-side timeout: the server can commit what it fully received later). Its record
    /// is dropped so the message is copied again, and it is returned among the uncertain
    /// ones: before that new APPEND, the destination is searched for it once more (see
    /// ``lookForLateCommits(of:uncertain:status:ledger:available:)``), with no timed wait.
    func reconcileDestination(
        status: FolderStatus, ledger: inout RecordLedger
    ) async throws -> (recovered: Int, lost: Int, uncertain: UncertainAppends) {
        guard ledger.hasUnsettled(in: destinationName, validity: status.uidValidity) else { return (0, 0, UncertainAppends()) }
        let unsettled = ledger.records.values.filter { record in
            guard record.state != .rejected else { return false }
            if record.state == .pending { return true }
            return record.destinationFolder != destinationName || record.destinationUIDValidity != status.uidValidity
        }
        guard !unsettled.isEmpty else { return (0, 0, UncertainAppends()) }
        let onlyPending = unsettled.allSatisfy {
            $0.state == .pending && $0.destinationFolder == destinationName && $0.destinationUIDValidity == status.uidValidity
        }
        let lowest = onlyPending ? unsettled.compactMap(\.destinationUIDNextBefore).min() ?? 1 : 1
        let claimed = ledger.claimedDestinationUIDs(folder: destinationName, validity: status.uidValidity)
        let located = try await locate(unsettled, from: lowest, excluding: claimed, validity: status.uidValidity)
        var found = located.found
        let missing = located.missing

        let recovered = found.filter { $0.state == .pending }.count
        let rebound = Set(unsettled.filter { $0.destinationFolder != destinationName || $0.destinationUIDValidity != status.uidValidity }.map(\.sourceKey))
        found = found.map { record in
            var record = record
            let aboveMark = (record.destinationUID?.rawValue ?? 0) >= (record.destinationUIDNextBefore ?? 1)
            record.state = !rebound.contains(record.sourceKey) && aboveMark ? .copied : .matched
            return record
        }
        let lost = missing.map(\.sourceKey)
        try await stateStore.replaceMessages(account: account, sourceFolder: sourceName, removing: lost, saving: found)
        ledger.remove(lost)
        ledger.update(found)
        var uncertain = UncertainAppends()
        for record in missing where record.state == .pending {
            // Under another UIDVALIDITY (or folder) the mark means nothing: search it all.
            let sameFolder = record.destinationFolder == destinationName && record.destinationUIDValidity == status.uidValidity
            uncertain.note(record.fingerprint, mark: sameFolder ? record.destinationUIDNextBefore ?? 1 : 1)
        }
        return (recovered, lost.count, uncertain)
    }

    /// Looks for `records` on the destination at or above UID `lowest`, by size and then
    /// fingerprint; returns them updated with their destination UIDs, and those not found.
    private func locate(
        _ records: [MessageRecord], from lowest: UInt32, excluding claimed: Set<UID>, validity: UIDValidity
    ) async throws -> (found: [MessageRecord], missing: [MessageRecord]) {
        let sizes = Set(records.map(\.size))
        let candidates = try await destination.summaries(SummaryRequest(from: UID(max(lowest, 1))))
            .filter { !claimed.contains($0.uid) && sizes.contains($0.size) }
        var pool = try await fingerprintPool(of: candidates.map(\.uid))
        var found: [MessageRecord] = []
        var missing: [MessageRecord] = []
        for var record in records.sorted(by: { $0.sourceUID < $1.sourceUID }) {
            if let uid = pool[record.fingerprint]?.first {
                pool[record.fingerprint]!.removeFirst()
                record.destinationUID = uid
                record.destinationUIDValidity = validity
                record.destinationFolder = destinationName
                found.append(record)
            } else {
                missing.append(record)
            }
        }
        return (found, missing)
    }

    /// Destination messages no record accounts for, with a size some message to copy has, by
    /// fingerprint: a message already there byte for byte is not copied again (a lost state
    /// directory, an earlier tool's copy).
    func unclaimedDestinationMessages(
        status: FolderStatus, ledger: RecordLedger, sizes: Set<Int>
    ) async throws -> [MessageFingerprint: [MessageSummary]] {
        guard status.messageCount > 0 else { return [:] }
        let claimed = ledger.claimedDestinationUIDs(folder: destinationName, validity: status.uidValidity)
        let candidates = try await destination.summaries(.all)
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
