import MailModel
import StateStore

extension FolderSync {
    /// Copy `messages` in batches (see ``BatchPlanner``); the next batch is fetched from the
    /// source while the current one is appended to the destination. Without `sizesKnown`
    /// the summaries' sizes are 0 and each message's size is learnt from its body.
    func copy(
        _ messages: [MessageSummary], sizesKnown: Bool = true, sourceValidity: UIDValidity, destination status: inout FolderStatus,
        available: inout [MessageFingerprint: [MessageSummary]], uncertain: UncertainAppends = UncertainAppends(),
        ledger: inout RecordLedger, report: inout FolderReport
    ) async throws {
        var planner = BatchPlanner(messages, sizesKnown: sizesKnown, options: options)
        var batch = planner.next()
        guard !batch.isEmpty else { return }
        var next = try await fetch(batch)
        while !batch.isEmpty {
            let staged = next
            planner.observe(staged)
            let upcoming = planner.next()
            async let prefetch = fetch(upcoming)
            try await appendBatch(
                staged, summaries: batch, sourceValidity: sourceValidity, destination: &status,
                available: &available, uncertain: uncertain, ledger: &ledger, report: &report)
            next = try await prefetch
            batch = upcoming
        }
    }

    /// Fetch and stage one batch's bodies (hashing them on the way).
    func fetch(_ batch: [MessageSummary]) async throws -> [StagedMessage] {
        guard !batch.isEmpty else { return [] }
        let stager = MessageStager(
            temporaryDirectory: options.temporaryDirectory, memoryThreshold: options.memoryThreshold,
            memoryBudget: BatchPlanner.memoryBudget(options))
        try await source.fetchBodies(batch.map(\.uid), into: stager)
        let staged = stager.takeStaged()
        if let rateLimiter { try await rateLimiter.consume(staged.reduce(0) { $0 + $1.size }) }
        return staged.sorted { $0.uid < $1.uid }
    }

    /// Journal, append and confirm one batch. Messages already on the destination byte for
    /// byte are recorded as matched instead of appended.
    private func appendBatch(
        _ staged: [StagedMessage], summaries: [MessageSummary], sourceValidity: UIDValidity,
        destination status: inout FolderStatus, available: inout [MessageFingerprint: [MessageSummary]],
        uncertain: UncertainAppends, ledger: inout RecordLedger, report: inout FolderReport
    ) async throws {
        let doubtful = staged.filter { uncertain.mark(of: $0.fingerprint) != nil }
        if !doubtful.isEmpty {
            try await lookForLateCommits(of: doubtful, uncertain: uncertain, status: status, ledger: ledger, available: &available)
        }
        let byUID = Dictionary(summaries.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        var outgoing: [(message: OutgoingMessage, record: MessageRecord, staged: StagedMessage)] = []
        var matched: [MessageRecord] = []
        var flagFixes: [FlagChange: [UID]] = [:]
        for message in staged {
            guard let summary = byUID[message.uid] else { continue }
            let flags = storableFlags(summary.flags, uid: message.uid, status: status, report: &report)
            var record = MessageRecord(
                account: account, sourceFolder: sourceName, sourceUIDValidity: sourceValidity, sourceUID: message.uid,
                destinationFolder: destinationName, destinationUIDValidity: status.uidValidity,
                fingerprint: message.fingerprint, size: message.size, internalDate: summary.internalDate,
                syncedFlags: summary.flags.subtracting([.recent]), state: .pending, destinationUIDNextBefore: status.uidNext)
            if let existing = available[message.fingerprint]?.first {
                available[message.fingerprint]!.removeFirst()
                // Above the mark of this message's own lost APPEND: the server committed it late.
                if let mark = uncertain.mark(of: message.fingerprint), existing.uid.rawValue >= mark {
                    record.state = .copied
                    report.recovered += 1
                } else {
                    record.state = .matched
                    report.matched += 1
                }
                record.destinationUID = existing.uid
                // The copy already there may carry a user's own work (a flag or keyword set on
                // the new server): the source's flags are added, none of its own removed.
                let change = FlagChange(adding: flags.subtracting(existing.flags), removing: [])
                if !change.isEmpty { flagFixes[change, default: []].append(existing.uid) }
                matched.append(record)
                continue
            }
            let outgoingMessage = OutgoingMessage(
                body: message.body, flags: flags, internalDate: summary.internalDate, sourceUID: message.uid,
                fingerprint: message.fingerprint)
            outgoing.append((outgoingMessage, record, message))
        }

        // The journal: durable before a single byte is sent.
        try await stateStore.saveMessages(matched + outgoing.map(\.record))
        ledger.update(matched + outgoing.map(\.record))
        for (change, uids) in flagFixes { try await destination.storeFlags(uids, adding: change.adding, removing: change.removing) }

        guard !outgoing.isEmpty else { return }
        let outcomes = try await destination.append(outgoing.map(\.message), to: mapping.destination)
        guard outcomes.count == outgoing.count else {
            throw StoreError(.protocolViolation, "the destination answered \(outcomes.count) of \(outgoing.count) appends")
        }
        var confirmed: [MessageRecord] = []
        var needsSearch: [MessageRecord] = []
        var progressed = (messages: 0, bytes: 0)
        for (entry, outcome) in zip(outgoing, outcomes) {
            var record = entry.record
            switch outcome {
            case .appended(let receipt):
                record.state = .copied
                record.destinationUID = receipt.uid
                if let validity = receipt.uidValidity { record.destinationUIDValidity = validity }
                if let uid = receipt.uid { status.uidNext = max(status.uidNext, uid.rawValue &+ 1) }
                status.messageCount += 1
                for flag in receipt.droppedFlags {
                    report.refusedKeywords.append(RefusedKeyword(sourceFolder: sourceName, uid: record.sourceUID, keyword: flag))
                }
                report.copied += 1
                report.bytesCopied += record.size
                progressed.messages += 1
                progressed.bytes += record.size
                if receipt.uid == nil { needsSearch.append(record) } else { confirmed.append(record) }
            case .rejected(let rejection):
                record.state = .rejected
                record.failure = rejection.description
                confirmed.append(record)
                report.failures.append(failure(for: entry.staged, summary: byUID[record.sourceUID], reason: rejection.description))
            }
        }
        if !needsSearch.isEmpty {
            confirmed += try await locateWithoutUIDPLUS(needsSearch, status: &status, ledger: ledger)
        }
        try await stateStore.saveMessages(confirmed)
        ledger.update(confirmed)
        observer.handle(.progressed(account: account, messages: progressed.messages + matched.count, bytes: progressed.bytes))
    }

    /// The destination has no UIDPLUS: find each appended message by size and fingerprint
    /// above the UIDNEXT noted before the batch. The folder is selected again first: the
    /// state SELECT reported (an empty folder, an old UIDNEXT) says nothing of the messages
    /// just appended, and a listing sized by it would miss them.
    private func locateWithoutUIDPLUS(
        _ records: [MessageRecord], status: inout FolderStatus, ledger: RecordLedger
    ) async throws -> [MessageRecord] {
        let live = try await destination.open(mapping.destination)
        guard live.uidValidity == status.uidValidity else { return records }
        let lowest = records.compactMap(\.destinationUIDNextBefore).min() ?? 1
        let claimed = ledger.claimedDestinationUIDs(folder: destinationName, validity: status.uidValidity)
        let sizes = Set(records.map(\.size))
        let candidates = try await destination.summaries(SummaryRequest(from: UID(max(lowest, 1))))
            .filter { !claimed.contains($0.uid) && sizes.contains($0.size) }
        var pool = try await fingerprintPool(of: candidates.map(\.uid))
        return records.map { record in
            var record = record
            if let uid = pool[record.fingerprint]?.first {
                pool[record.fingerprint]!.removeFirst()
                record.destinationUID = uid
                // Not the live UIDNEXT: the state recorded at the end counts only this run's
                // own changes, so that anything done by others meanwhile shows next time.
                status.uidNext = max(status.uidNext, uid.rawValue &+ 1)
            }
            return record
        }
    }

    /// The flags to give a copy: the source's, minus `\Recent`, minus what the destination
    /// cannot store (each such keyword is reported).
    func storableFlags(_ flags: Set<Flag>, uid: UID, status: FolderStatus, report: inout FolderReport) -> Set<Flag> {
        var result = Set<Flag>()
        for flag in flags where flag != .recent {
            if status.canStore(flag) {
                result.insert(flag)
            } else {
                report.refusedKeywords.append(RefusedKeyword(sourceFolder: sourceName, uid: uid, keyword: flag))
            }
        }
        return result
    }

    func failure(for message: StagedMessage?, summary: MessageSummary?, reason: String) -> MessageFailure {
        let headers = MessageHeaders(prefix: message?.headerPrefix ?? [])
        return MessageFailure(
            sourceFolder: sourceName, uid: summary?.uid ?? message!.uid, size: message?.size ?? summary?.size ?? 0,
            internalDate: summary?.internalDate, subject: headers.subject, messageID: headers.messageID, reason: reason)
    }
}

/// Flags to add and remove on a set of messages: one STORE pair per distinct change.
struct FlagChange: Hashable {
    var adding: Set<Flag>
    var removing: Set<Flag>

    var isEmpty: Bool { adding.isEmpty && removing.isEmpty }
}
