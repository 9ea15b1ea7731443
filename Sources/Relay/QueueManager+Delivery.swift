import BlockingIO
import Logging
import MailModel
import MailSpool
import SMTPClient

extension QueueManager {
    /// Deliver the pending recipients of one entry on an open session, and record the verdicts.
    func deliver(_ id: QueueID, on connection: SMTPClientConnection<C>) async {
        let spool = self.spool
        let committed = fresh.take(id)
        let loaded: (entry: SpoolEntry, body: ArraySlice<UInt8>)
        do {
            loaded = try await io.run { try committed.map { try spool.message(id, committed: $0) } ?? spool.message(id) }
        } catch let error as SpoolError where error.kind == .corrupt {
            logger.info("spool entry is damaged; quarantined", metadata: ["spool.queue.id": "\(id)", "spool.error": "\(error)"])
            _ = try? await io.run { try spool.quarantine(id, reason: error.message) }
            return
        } catch {
            logger.debug("spool entry vanished", metadata: ["spool.queue.id": "\(id)", "spool.error": "\(error)"])
            return
        }
        let entry = unrecorded.apply(to: loaded.entry)
        // Put on hold by an operator meanwhile: not delivered until released.
        guard !entry.held else { return }
        let pending = entry.pendingRecipients
        guard let full = entry.envelope.mailEnvelope, !pending.isEmpty else {
            await record(entry, outcomes: pending.map { ($0, DeliveryOutcome(.fail, .message, reply: nil, detail: "unreadable envelope")) })
            return
        }
        var envelope = full
        envelope.recipients = pending.map { full.recipients[$0] }
        let message = SMTPOutgoingMessage(envelope: envelope, content: loaded.body, contains8Bit: entry.contains8Bit)
        do {
            let outcomes = try await connection.send(message)
            await record(entry, outcomes: Array(zip(pending, outcomes)))
        } catch {
            let outcome = DeliveryClassifier.classify(error: error)
            await pauseDestination(attempts: entry.attempts + 1)
            await record(entry, outcomes: pending.map { ($0, outcome) })
        }
    }

    /// No session could be opened for `id` (connection refused, greeting refused, TLS).
    func recordSiteFailure(_ id: QueueID, error: any Error) async {
        // Its next attempt is a retry, from the file it is about to be given.
        _ = fresh.take(id)
        let spool = self.spool
        guard let stored = try? await io.run({ try spool.entry(id) }) else { return }
        let entry = unrecorded.apply(to: stored)
        let outcome: DeliveryOutcome
        if let clientError = error as? SMTPClientError, let failure = clientError.failure {
            outcome = DeliveryClassifier.classify(sessionFailure: failure)
        } else {
            outcome = DeliveryClassifier.classify(error: error)
        }
        logger.debug("next hop unavailable", metadata: ["relay.error": "\(outcome.detail)"])
        // Paused before the verdict is recorded: whoever `recorded` wakes sees the pause too
        // (a test that then moves its clock past the backoff).
        await pauseDestination(attempts: entry.attempts + 1)
        await record(entry, outcomes: entry.pendingRecipients.map { ($0, outcome) })
    }

    func pauseDestination(attempts: Int) async {
        let delay = min(configuration.retry.backoff(afterAttempts: attempts), configuration.retry.minimalBackoff)
        scheduler.pauseDestination(until: wallClock.now + delay.inSeconds)
    }

    /// Complete the entry when every recipient is final (its `finished.jsonl` line is then the
    /// record: no journal is written for it, saving a file per message); otherwise append the
    /// attempt to the journal, give a small message a file of its own, and schedule the next
    /// attempt. A recipient still deferred after the maximum
    /// lifetime is failed ("expired"); no notification is ever sent.
    ///
    /// `entry` already holds the verdicts the spool could not record earlier; if this record
    /// fails too, they stay in memory (`UnrecordedVerdicts`): a finished entry is not sent
    /// again, its completion is retried after `minimalBackoff`; an unfinished one is retried
    /// for its pending recipients only.
    func record(_ entry: SpoolEntry, outcomes: [(Int, DeliveryOutcome)]) async {
        defer { configuration.recorded?(entry.id) }
        let now = wallClock.now
        let expired = configuration.retry.isExpired(receivedAt: entry.envelope.receivedAt, now: now)
        var results: [SpoolStatusRecord.Result] = []
        for (index, outcome) in outcomes {
            let state: RecipientState
            var reply = outcome.detail
            switch outcome.disposition {
            case .delivered: state = .delivered
            case .fail: state = .failed
            case .retry:
                state = expired ? .failed : .deferred
                if expired { reply = "expired after \(configuration.retry.maximalLifetime): \(reply)" }
            }
            statistics.count(state)
            results.append(.init(index: index, state: state, reply: reply))
        }
        var updated = entry
        let anyDeferred = results.contains { $0.state == .deferred }
        let next = anyDeferred ? now + configuration.retry.backoff(afterAttempts: entry.attempts + 1).inSeconds : nil
        let record = SpoolStatusRecord(at: now, results: results, nextAttemptAt: next)
        updated.apply(record)
        let spool = self.spool
        let journal = unrecorded.records(for: entry.id) + [record]
        do {
            if updated.isFinished {
                let finished = updated
                try await io.run { try spool.complete(finished, at: now) }
                unrecorded.recorded(entry.id)
            } else {
                try await io.run { try spool.appendStatus(entry.id, journal) }
                unrecorded.recorded(entry.id)
                do {
                    // Waiting for a retry: out of its segment, so that the segment can go.
                    // Before it is scheduled again, so no worker finishes it meanwhile.
                    try await io.run { try spool.moveOutOfSegment(entry.id) }
                } catch {
                    logger.info("could not move a deferred message to a file of its own",
                                metadata: ["spool.queue.id": "\(entry.id)", "spool.error": "\(error)"])
                }
                scheduler.schedule(entry.id, at: next, now: now)
            }
        } catch {
            logger.info("could not record a delivery attempt; the verdicts are kept in memory",
                        metadata: ["spool.queue.id": "\(entry.id)", "spool.error": "\(error)"])
            let retryAt = now + configuration.retry.minimalBackoff.inSeconds
            if updated.isFinished {
                unrecorded.keepCompletion(updated, retryAt: retryAt)
            } else {
                unrecorded.keep(record, for: entry.id)
                scheduler.schedule(entry.id, at: next ?? retryAt, now: now)
            }
        }
    }

    /// Record the completions that failed earlier and are due (no delivery: every recipient
    /// is final); the ones that fail again wait another `minimalBackoff`.
    func retryCompletions(now: Double) async {
        let spool = self.spool
        for entry in unrecorded.dueCompletions(now: now) {
            do {
                try await io.run { try spool.complete(entry, at: now) }
                unrecorded.recorded(entry.id)
            } catch {
                logger.debug("could not record a completion yet", metadata: ["spool.queue.id": "\(entry.id)", "spool.error": "\(error)"])
                unrecorded.keepCompletion(entry, retryAt: now + configuration.retry.minimalBackoff.inSeconds)
            }
            configuration.recorded?(entry.id)
        }
    }
}
