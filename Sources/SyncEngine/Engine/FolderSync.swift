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
/// 3. list what the source has that no record covers, drop what the destination already
///    holds byte for byte, and copy the rest in batches (the next batch is fetched while the
///    current one is appended), journaling each batch before it is sent and confirming it
///    only from the destination's answer;
/// 4. carry source flag changes over to earlier copies;
/// 5. optionally remove copies mailferry made whose source is gone.
struct FolderSync: Sendable {
    let account: String
    let mapping: FolderMapping
    let source: any MailboxReader
    let destination: any MailboxWriter
    let store: any SyncStateStore
    let options: SyncOptions
    let observer: any SyncObserver
    let preservesSourceUIDs: Bool
    let rateLimiter: ByteRateLimiter?

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
        let sourceStatus = try await source.open(mapping.source.name)
        report.sourceMessages = sourceStatus.messageCount
        let pair = try await store.folderPair(account: account, sourceFolder: sourceName)
        var ledger = RecordLedger(records: try await store.messages(account: account, sourceFolder: sourceName))

        if let pair, isUnchanged(pair: pair, status: sourceStatus, ledger: ledger) {
            report.unchanged = ledger.current(validity: sourceStatus.uidValidity).count
            return report
        }

        // The destination is opened up front only when there is something to settle there;
        // otherwise when the source has news for it (a re-run with nothing new never opens it).
        let openEagerly = options.dryRun || !mapping.destinationExists || ledger.hasUnsettled || options.deleteExtraneous
            || preservesSourceUIDs || pair?.destinationFolder != destinationName
        var destinationStatus = openEagerly ? try await openDestination(sourceStatus: sourceStatus, report: &report) : nil
        var sourceSummaries: [MessageSummary]? = nil

        // A dry run writes nothing, the state included: it skips re-identification and the
        // journal (their messages then count as "to copy", an overestimate).
        if !options.dryRun, let pair, pair.sourceUIDValidity != sourceStatus.uidValidity,
            ledger.hasRecords(otherThan: sourceStatus.uidValidity)
        {
            let all = try await source.summaries(from: nil, changedSince: nil)
            sourceSummaries = all
            try await reidentifySource(summaries: all, validity: sourceStatus.uidValidity, ledger: &ledger)
        }
        if !options.dryRun, let destinationStatus {
            report.recovered = try await reconcileDestination(status: destinationStatus, ledger: &ledger)
        }

        let summaries: [MessageSummary]
        var sizesKnown = true
        if let sourceSummaries {
            summaries = sourceSummaries
        } else if isFirstCopyIntoEmptyFolder(pair: pair, ledger: ledger, destination: destinationStatus) {
            summaries = try await source.summariesWithoutSizes()
            sizesKnown = false
        } else {
            summaries = try await changedSummaries(pair: pair, status: sourceStatus, ledger: ledger)
        }
        let current = ledger.current(validity: sourceStatus.uidValidity)
        let toCopy = summaries.filter { summary in
            guard let record = current[summary.uid] else { return true }
            return record.state == .rejected
        }.sorted { $0.uid < $1.uid }
        if !openEagerly, destinationStatus == nil,
            !toCopy.isEmpty || (options.syncFlags && hasFlagChanges(summaries: summaries, validity: sourceStatus.uidValidity, ledger: ledger))
        {
            destinationStatus = try await openDestination(sourceStatus: sourceStatus, report: &report)
        }
        observer.handle(.folderPlanned(
            account: account, folder: sourceName, toCopy: toCopy.count, bytes: sizesKnown ? toCopy.reduce(0) { $0 + $1.size } : nil))

        if options.dryRun {
            report.copied = toCopy.count
            report.bytesCopied = toCopy.reduce(0) { $0 + $1.size }
            report.unchanged = max(0, sourceStatus.messageCount - toCopy.count)
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
                available: &available, ledger: &ledger, report: &report)
            destinationStatus = status
        }
        if options.syncFlags, let destinationStatus {
            report.flagsUpdated = try await propagateFlags(
                summaries: summaries, validity: sourceStatus.uidValidity, destination: destinationStatus,
                ledger: &ledger, report: &report)
        }
        report.unchanged = max(0, sourceStatus.messageCount - report.copied - report.matched - report.failures.count)
        if options.deleteExtraneous, let destinationStatus {
            report.deleted = try await deleteExtraneous(
                sourceUIDs: Set(summaries.map(\.uid)), sourceValidity: sourceStatus.uidValidity,
                destination: destinationStatus, ledger: &ledger)
        }
        var record = FolderPairRecord(
            account: account, sourceFolder: sourceName, destinationFolder: destinationName,
            sourceUIDValidity: sourceStatus.uidValidity, destinationUIDValidity: destinationStatus?.uidValidity ?? pair?.destinationUIDValidity,
            sourceUIDNext: sourceStatus.uidNext, sourceHighestModSeq: sourceStatus.highestModSeq,
            sourceMessageCount: sourceStatus.messageCount, lastSyncedAt: pair?.lastSyncedAt ?? 0)
        // A pass that changed nothing leaves the record (and the disk: each save is an fsync) alone.
        if record != pair {
            record.lastSyncedAt = Int64(Self.now())
            try await store.saveFolderPair(record)
        }
        return report
    }

    /// Nothing to do when the source says nothing changed: same UIDVALIDITY, same UIDNEXT and
    /// count, no unconfirmed APPEND, and (for flags) the same HIGHESTMODSEQ.
    private func isUnchanged(pair: FolderPairRecord, status: FolderStatus, ledger: RecordLedger) -> Bool {
        guard !options.deleteExtraneous, pair.sourceUIDValidity == status.uidValidity,
            pair.sourceUIDNext == status.uidNext, pair.sourceMessageCount == status.messageCount,
            pair.destinationFolder == destinationName, !ledger.hasUnsettled
        else { return false }
        guard options.syncFlags else { return true }
        guard let highest = status.highestModSeq, let recorded = pair.sourceHighestModSeq else { return false }
        return highest == recorded
    }

    /// The folder was never synced and its destination is empty: nothing needs the source's
    /// sizes before the bodies arrive (no destination message to match, no dry-run plan to
    /// print), so the listing can do without them.
    private func isFirstCopyIntoEmptyFolder(pair: FolderPairRecord?, ledger: RecordLedger, destination: FolderStatus?) -> Bool {
        guard !options.dryRun, pair == nil, ledger.records.isEmpty, let destination else { return false }
        return destination.messageCount == 0
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
            try await destination.adoptIdentity(of: sourceStatus, for: mapping.destination)
        }
        return try await destination.open(mapping.destination)
    }

    /// The source summaries worth looking at: with CONDSTORE, only what changed since the last
    /// complete sync; otherwise everything (flags can change anywhere).
    private func changedSummaries(pair: FolderPairRecord?, status: FolderStatus, ledger: RecordLedger) async throws -> [MessageSummary] {
        if let pair, pair.sourceUIDValidity == status.uidValidity, !options.deleteExtraneous,
            let recorded = pair.sourceHighestModSeq, status.highestModSeq != nil
        {
            return try await source.summaries(from: nil, changedSince: recorded)
        }
        // Without CONDSTORE every flag is read again; sizes and dates are needed only for
        // messages not copied yet: those above the last run's UIDNEXT, and refused ones.
        if let pair, pair.sourceUIDValidity == status.uidValidity, !options.deleteExtraneous,
            let below = UID(pair.sourceUIDNext), !ledger.hasRejected(validity: status.uidValidity)
        {
            let summaries = try await source.summaries(flagsOnlyBelow: below)
            let current = ledger.current(validity: status.uidValidity)
            // A message below the mark that no record covers needs its size and date.
            if !summaries.contains(where: { $0.uid < below && current[$0.uid] == nil }) { return summaries }
        }
        return try await source.summaries(from: nil, changedSince: nil)
    }

    static func now() -> Int { Int(time(nil)) }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
