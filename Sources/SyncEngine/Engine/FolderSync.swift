#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MailModel
import StateStore

/// Syncs one folder pair over one source session and one destination session.
///
/// The order of work is what makes a crash at any byte safe:
/// 1. open both folders; notice UIDVALIDITY changes on either side and re-identify messages
///    by fingerprint (never "copy everything again");
/// 2. reconcile the journal: an APPEND that was sent but never confirmed is looked for on the
///    destination above the UIDNEXT recorded before it, by size and then by SHA-256;
/// 3. check that every earlier copy is still on the destination (see below);
/// 4. list what the source has that no record covers, drop what the destination already
///    holds byte for byte, and copy the rest in batches (the next batch is fetched while the
///    current one is appended), journaling each batch before it is sent and confirming it
///    only from the destination's answer;
/// 5. carry source flag changes over to earlier copies;
/// 6. optionally remove copies mailferry made whose source is gone.
///
/// Data-safety invariants (README, "Data-safety invariants"), enforced here:
/// - Complete means present: the destination folder is opened on every run, and a record
///   counts as copied only while the destination still shows its UID under the recorded
///   UIDVALIDITY. An unchanged UIDNEXT and count since the last run prove that in one SELECT;
///   otherwise the destination's UID list is read. A missing copy is copied again (or, with
///   `--keep-destination-deletions`, recorded as kept deleted and reported).
/// - A message refused by the destination is offered again on every run.
/// - One source folder never fills two destination folders: a folder whose mapping changed
///   while its earlier destination folder still holds its copies is refused, not copied again.
struct FolderSync: Sendable {
    let account: String
    let mapping: FolderMapping
    let source: any MailboxReader
    let destination: any MailboxWriter
    let stateStore: any SyncStateStore
    let options: SyncOptions
    let observer: any SyncObserver
    let preservesSourceUIDs: Bool
    let rateLimiter: ByteRateLimiter?
    /// The source folders this run's listing showed (bytes of their names); see
    /// ``refuseRename(status:)``.
    var listedSourceFolders: Set<[UInt8]> = []
    /// The folder's state, read ahead by ``OpenAhead`` while the servers answered: then it is
    /// not read again here.
    var known: KnownState?

    /// A folder's pair record and message records as the state store holds them.
    struct KnownState: Sendable {
        var pair: FolderPairRecord?
        var records: [MessageRecord]
    }

    var sourceName: String { mapping.source.name.name }
    var destinationName: String { mapping.destination.name }

    func run() async throws -> FolderReport {
        let started = ContinuousClock.now
        var report = try await sync()
        report.seconds = (ContinuousClock.now - started).seconds
        return report
    }

    /// The work of ``run()``, which times it: a `defer` here would set the time after the
    /// returned copy of the report was made.
    private func sync() async throws -> FolderReport {
        var report = FolderReport(sourceFolder: sourceName, destinationFolder: destinationName)
        report.mappingReason = mapping.reason.description
        let pair: FolderPairRecord?
        if let known { pair = known.pair } else { pair = try await stateStore.folderPair(account: account, sourceFolder: sourceName) }
        // The folder's records are read while its folders are opened: on a re-run, reading
        // them takes longer than the round trips.
        async let recordsRead = Result { [known] in
            if let known { return known.records }
            return try await stateStore.messages(account: account, sourceFolder: sourceName)
        }
        var ledger: RecordLedger
        // Opened on every run, even when the source has nothing new: the destination may have
        // lost copies since (nil only in a dry run, for a folder that does not exist yet).
        let sourceStatus: FolderStatus
        var destinationStatus: FolderStatus?
        if let pair, canOpenBothAtOnce(pair: pair) {
            // Each session is still used by one task at a time; the two SELECTs overlap. Both
            // are awaited before either error is thrown (an unfinished SELECT would leave its
            // session mid-response), and the source's error wins, whichever failed first.
            async let destinationOpened = Result { try await destination.open(mapping.destination) }
            let sourceOpened = await Result { try await openSource(pair: pair) }
            let destinationResult = await destinationOpened
            let records = await recordsRead
            sourceStatus = try sourceOpened.get()
            destinationStatus = try destinationResult.get()
            ledger = RecordLedger(records: try records.get())
        } else {
            ledger = RecordLedger(records: try await recordsRead.get())
            sourceStatus = try await openSource(pair: pair)
            if let pair { try await refuseRemapping(from: pair, ledger: ledger) }
            if pair == nil, ledger.records.isEmpty { try await refuseRename(status: sourceStatus) }
            destinationStatus = try await openDestination(sourceStatus: sourceStatus, report: &report)
        }
        report.sourceMessages = sourceStatus.messageCount
        report.deferred = sourceStatus.deferred
        if let pair, let destinationStatus, isUnchanged(pair: pair, status: sourceStatus, destination: destinationStatus, ledger: ledger) {
            report.unchanged = ledger.count(validity: sourceStatus.uidValidity) - ledger.keptDeletions
            report.keptDeletions = ledger.keptDeletions
            return report
        }
        var sourceSummaries: [MessageSummary]? = nil

        // A dry run writes nothing, the state included: it skips re-identification and the
        // journal (their messages then count as "to copy", an overestimate).
        // Records under another source UIDVALIDITY are re-identified whether or not the folder
        // pair was saved: a run killed in its first pass of a folder leaves records without one.
        if !options.dryRun, ledger.hasRecords(otherThan: sourceStatus.uidValidity) {
            let all = try await source.summaries(.all)
            sourceSummaries = all
            try await reidentifySource(summaries: all, validity: sourceStatus.uidValidity, ledger: &ledger)
        }
        var recordsDropped = false
        var uncertain = UncertainAppends()
        if let destinationStatus {
            if !options.dryRun {
                let settled = try await reconcileDestination(status: destinationStatus, ledger: &ledger)
                report.recovered = settled.recovered
                recordsDropped = settled.lost > 0
                uncertain = settled.uncertain
            }
            if try await checkPresence(pair: pair, status: destinationStatus, ledger: &ledger, report: &report) > 0 {
                recordsDropped = true
            }
        }

        let summaries: [MessageSummary]
        var sizesKnown = true
        if let sourceSummaries {
            summaries = sourceSummaries
        } else if isFirstCopyIntoEmptyFolder(pair: pair, ledger: ledger, destination: destinationStatus) {
            summaries = try await source.summaries(.withoutSizes)
            sizesKnown = false
        } else if recordsDropped {
            // Messages copied long ago are to be copied again: the incremental listings
            // (CONDSTORE's changes, sizes above the old UIDNEXT only) would not show them.
            summaries = try await source.summaries(.all)
        } else {
            summaries = try await changedSummaries(pair: pair, status: sourceStatus, ledger: ledger)
        }
        let toCopy = summaries.filter { summary in
            guard let record = ledger.record(uid: summary.uid, validity: sourceStatus.uidValidity) else { return true }
            return record.state == .rejected
        }.sorted { $0.uid < $1.uid }
        observer.handle(.folderPlanned(
            account: account, folder: sourceName, toCopy: toCopy.count, bytes: sizesKnown ? toCopy.reduce(0) { $0 + $1.size } : nil))
        report.keptDeletions = ledger.keptDeletions

        if options.dryRun {
            report.copied = toCopy.count
            report.bytesCopied = toCopy.reduce(0) { $0 + $1.size }
            report.unchanged = max(0, sourceStatus.messageCount - toCopy.count - report.keptDeletions)
            if options.deleteExtraneous, let destinationStatus {
                report.deleted = extraneousRecords(
                    sourceUIDs: Set(summaries.map(\.uid)), sourceValidity: sourceStatus.uidValidity,
                    destination: destinationStatus, ledger: ledger
                ).count
            }
            return report
        }
        if !toCopy.isEmpty, var status = destinationStatus {
            var available = try await unclaimedDestinationMessages(status: status, ledger: ledger, sizes: Set(toCopy.map(\.size)))
            try await copy(
                toCopy, sizesKnown: sizesKnown, sourceValidity: sourceStatus.uidValidity, destination: &status,
                available: &available, uncertain: uncertain, ledger: &ledger, report: &report)
            destinationStatus = status
        }
        if options.syncFlags, let destinationStatus {
            report.flagsUpdated = try await propagateFlags(
                summaries: summaries, validity: sourceStatus.uidValidity, destination: destinationStatus,
                ledger: &ledger, report: &report)
        }
        report.unchanged = max(0, sourceStatus.messageCount - report.copied - report.matched - report.failures.count - report.keptDeletions)
        if options.deleteExtraneous, var status = destinationStatus {
            report.deleted = try await deleteExtraneous(
                sourceUIDs: Set(summaries.map(\.uid)), sourceValidity: sourceStatus.uidValidity,
                destination: status, ledger: &ledger)
            status.messageCount -= report.deleted
            destinationStatus = status
        }
        var record = FolderPairRecord(
            account: account, sourceFolder: sourceName, destinationFolder: destinationName,
            sourceUIDValidity: sourceStatus.uidValidity, destinationUIDValidity: destinationStatus?.uidValidity ?? pair?.destinationUIDValidity,
            sourceUIDNext: sourceStatus.uidNext, sourceHighestModSeq: sourceStatus.highestModSeq,
            sourceMessageCount: sourceStatus.messageCount, lastSyncedAt: pair?.lastSyncedAt ?? 0,
            destinationUIDNext: destinationStatus?.uidNext, destinationMessageCount: destinationStatus?.messageCount)
        // A pass that changed nothing leaves the record (and the disk: each save is an fsync) alone.
        if record != pair {
            record.lastSyncedAt = Int64(Self.now())
            try await stateStore.saveFolderPair(record)
        }
        return report
    }

    /// Nothing to do when neither side changed: the source has the same UIDVALIDITY, UIDNEXT
    /// and count (and, for flags, HIGHESTMODSEQ); the destination the same UIDVALIDITY,
    /// UIDNEXT and count as this run's predecessor left it (so every copy is still there); no
    /// APPEND is unconfirmed and no refused message waits for another try.
    private func isUnchanged(pair: FolderPairRecord, status: FolderStatus, destination: FolderStatus, ledger: RecordLedger) -> Bool {
        guard !options.deleteExtraneous, pair.sourceUIDValidity == status.uidValidity,
            pair.sourceUIDNext == status.uidNext, pair.sourceMessageCount == status.messageCount,
            pair.destinationFolder == destinationName, !ledger.hasUnsettled, !ledger.hasRejected(validity: status.uidValidity),
            isDestinationUnchanged(pair: pair, status: destination),
            options.keepDestinationDeletions || ledger.keptDeletions == 0
        else { return false }
        guard options.syncFlags else { return true }
        guard let highest = status.highestModSeq, let recorded = pair.sourceHighestModSeq else { return false }
        return highest == recorded
    }

    /// True if the destination folder is as the last run left it: no message added (UIDNEXT)
    /// and, with none added, none removed (count).
    func isDestinationUnchanged(pair: FolderPairRecord, status: FolderStatus) -> Bool {
        pair.destinationFolder == destinationName && pair.destinationUIDValidity == status.uidValidity
            && pair.destinationUIDNext == status.uidNext && pair.destinationMessageCount == status.messageCount
    }

    /// The folder was never synced and its destination is empty: nothing needs the source's
    /// sizes before the bodies arrive (no destination message to match, no dry-run plan to
    /// print), so the listing can do without them.
    private func isFirstCopyIntoEmptyFolder(pair: FolderPairRecord?, ledger: RecordLedger, destination: FolderStatus?) -> Bool {
        guard !options.dryRun, pair == nil, ledger.records.isEmpty, let destination else { return false }
        return destination.messageCount == 0
    }

    /// Opens the source folder. When the listing will be ``changedSummaries(pair:status:ledger:)``'s
    /// flags below the last run's UIDNEXT (flags are synced, the source had no CONDSTORE),
    /// the store may read those flags with the SELECT.
    private func openSource(pair: FolderPairRecord?) async throws -> FolderStatus {
        guard let request = Self.sourceOpenRequest(pair: pair, options: options) else { return try await source.open(mapping.source.name) }
        return try await source.open(mapping.source.name, expecting: request)
    }

    /// What ``openSource(pair:)`` tells the store to expect (`nil`: a plain open).
    static func sourceOpenRequest(pair: FolderPairRecord?, options: SyncOptions) -> SummaryRequest? {
        guard let pair, options.syncFlags, !options.deleteExtraneous, pair.sourceHighestModSeq == nil,
            let below = UID(pair.sourceUIDNext), below.rawValue > 1
        else { return nil }
        return .flagsOnly(below: below)
    }

    /// Whether the destination folder can be opened while the source folder is: it exists, it
    /// is the one the last run wrote (no remapping to check on the destination session), and
    /// opening it needs nothing from the source (a store keeping source UIDs first adopts the
    /// source folder's identity).
    private func canOpenBothAtOnce(pair: FolderPairRecord) -> Bool {
        Self.opensBothAtOnce(mapping, pair: pair, preservesSourceUIDs: preservesSourceUIDs)
    }

    static func opensBothAtOnce(_ mapping: FolderMapping, pair: FolderPairRecord, preservesSourceUIDs: Bool) -> Bool {
        mapping.destinationExists && !preservesSourceUIDs && pair.destinationFolder == mapping.destination.name
    }

    /// Open the destination folder, creating it if needed. `nil` in a dry run when it does not exist yet.
    private func openDestination(sourceStatus: FolderStatus, report: inout FolderReport) async throws -> FolderStatus? {
        if !mapping.destinationExists {
            if options.dryRun {
                report.created = true
                return nil
            }
            do {
                try await destination.create(mapping.destination, uidValidity: preservesSourceUIDs ? sourceStatus.uidValidity : nil)
                report.created = true
            } catch let error as StoreError where error.kind == .folder {
                // It may have been created meanwhile (by a parallel run or the user); opening tells.
            }
        }
        if preservesSourceUIDs, !options.dryRun {
            report.adoptedMirrorCopies = try await destination.adoptIdentity(of: sourceStatus, for: mapping.destination).adoptedMirrorCopies
        }
        return try await destination.open(mapping.destination)
    }

    /// The source summaries worth looking at: with CONDSTORE, only what changed since the last
    /// complete sync; otherwise everything (flags can change anywhere).
    private func changedSummaries(pair: FolderPairRecord?, status: FolderStatus, ledger: RecordLedger) async throws -> [MessageSummary] {
        // A refused message is offered again on every run: CONDSTORE's listing of changes
        // would not show it, so a folder with one is listed whole.
        if let pair, pair.sourceUIDValidity == status.uidValidity, !options.deleteExtraneous,
            let recorded = pair.sourceHighestModSeq, status.highestModSeq != nil, !ledger.hasRejected(validity: status.uidValidity)
        {
            return try await source.summaries(.changed(since: recorded))
        }
        // Without CONDSTORE every flag is read again; sizes and dates are needed only for
        // messages not copied yet: those above the last run's UIDNEXT, and refused ones.
        if let pair, pair.sourceUIDValidity == status.uidValidity, !options.deleteExtraneous,
            let below = UID(pair.sourceUIDNext), !ledger.hasRejected(validity: status.uidValidity)
        {
            let summaries = try await source.summaries(.flagsOnly(below: below))
            // A message below the mark that no record covers needs its size and date.
            if !summaries.contains(where: { $0.uid < below && ledger.record(uid: $0.uid, validity: status.uidValidity) == nil }) {
                return summaries
            }
        }
        return try await source.summaries(.all)
    }

    static func now() -> Int { Int(time(nil)) }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
