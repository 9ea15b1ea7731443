/// Builds the proof of a cutover window from the logs (see ``ProofInputs``): every message
/// the old Postfix accepted in the window, recipient by recipient, is followed through its
/// delivery lines; one relayed to the new server is chained by (the new log, the `queued as`
/// id, the time) to the new Postfix's message, its LMTP `Saved` reply and Dovecot's
/// `saved mail to FOLDER` for that LMTP session. Anything that cannot be followed is
/// unaccounted, and a log with a gap fails the proof whatever it holds.
public enum CutoverProof {
    public static func build(from inputs: ProofInputs) -> CutoverProofReport {
        var builder = CutoverProofBuilder(inputs: inputs)
        return builder.build()
    }
}

struct CutoverProofBuilder {
    let inputs: ProofInputs
    let old: PostfixQueueIndex
    let new: PostfixQueueIndex?
    let saves: [String: [MailLogRecord]]
    var counts = ProofCounts()
    var entries: [ProofEntry] = []
    var duplicates: [ProofDuplicate] = []
    var notes: [String] = []
    /// New-server messages (index) that an old line chained to.
    var chainedNew: Set<Int> = []

    init(inputs: ProofInputs) {
        self.inputs = inputs
        old = PostfixQueueIndex(inputs.oldLog)
        new = inputs.newLog.map(PostfixQueueIndex.init)
        var saves: [String: [MailLogRecord]] = [:]
        for record in inputs.dovecotLog?.records ?? [] {
            switch record.event {
            case .dovecotSaved(_, let session, _, _), .dovecotOther(_, let session, _, _, _):
                if !session.isEmpty { saves[session, default: []].append(record) }
            default:
                break
            }
        }
        self.saves = saves
    }

    mutating func build() -> CutoverProofReport {
        if inputs.newLog == nil { notes.append("The new server's log was not given: mail relayed to it cannot be followed.") }
        if inputs.newServerRelays.isEmpty, inputs.newLog != nil {
            notes.append("The new server's names were not given: a relay counts as the new server when the queue id it answered with is a message of the new log at that time.")
        }
        if inputs.dovecotLog == nil {
            notes.append("Dovecot's log was not given: LMTP's `Saved` reply is taken as the delivery; folders are unknown.")
        }
        for message in old.messages where message.accepted && message.acceptedAt >= inputs.since && message.acceptedAt <= inputs.until
            && isOldHost(message.host) {
            counts.accepted += 1
            prove(message)
        }
        findResentDuplicates()
        let refusals = old.refusals.filter {
            $0.time >= inputs.since && $0.time <= inputs.until
                && isOldHost($0.host)
        }
        counts.refused = refusals.count
        counts.duplicated = duplicates.count
        let scans = [inputs.oldLog] + [inputs.newLog, inputs.dovecotLog].compactMap { $0 }
        let gaps = scans.flatMap(\.gaps)
        var reasons: [String] = gaps.map { "\($0.log)\($0.line.map { " line \($0)" } ?? ""): \($0.reason)" }
        if counts.lost > 0 { reasons.append("\(counts.lost) recipient(s) unaccounted") }
        if counts.duplicated > 0 { reasons.append("\(counts.duplicated) duplicate delivery(ies)") }
        let failed = !reasons.isEmpty
        if counts.queued > 0 { reasons.append("\(counts.queued) recipient(s) still queued") }
        return CutoverProofReport(
            verdict: failed ? .failed : counts.queued > 0 ? .pending : .proven,
            reasons: reasons, since: inputs.since, until: inputs.until, timeline: inputs.timeline, counts: counts,
            logs: scans.map { CutoverProofReport.LogSummary(name: $0.name, lines: $0.lines, malformed: $0.malformed,
                                                            malformedSamples: $0.malformedSamples, first: $0.first, last: $0.last) },
            gaps: gaps, entries: entries, duplicates: duplicates, refusals: refusals, notes: notes)
    }

    private mutating func record(_ message: PostfixMessage, _ recipient: String, _ outcome: ProofOutcome, _ hops: [String], count: Int = 1) {
        counts.add(outcome.kind, count: count)
        entries.append(ProofEntry(queueID: message.queueID, acceptedAt: message.acceptedAt, origin: message.origin,
                                  messageID: message.messageID, sender: message.sender, recipient: recipient, outcome: outcome, hops: hops))
    }

    private mutating func prove(_ message: PostfixMessage) {
        let accepted = "old \(message.queueID) accepted \(message.acceptedAt)\(message.origin.map { " from \($0)" } ?? "")"
        if let discarded = message.discarded {
            record(message, "(all recipients)", ProofOutcome(.filtered, "discarded by a check: \(discarded)"), [accepted])
            return
        }
        var order: [String] = []
        var attempts: [String: [PostfixMessage.Attempt]] = [:]
        for attempt in message.deliveries {
            let key = attempt.delivery.recipient.lowercased()
            if attempts[key] == nil { order.append(key) }
            attempts[key, default: []].append(attempt)
        }
        for key in order {
            let list = attempts[key]!
            let recipient = list[0].delivery.recipient
            let sent = list.filter { $0.delivery.status == "sent" }
            if sent.count > 1, !isMirrorCopy(recipient) {
                duplicates.append(ProofDuplicate(queueID: message.queueID, recipient: recipient, messageID: message.messageID,
                                                 deliveries: sent.map { describe("old", message.queueID, $0) }))
            }
            let final = list.last { $0.delivery.isFinal } ?? list.last!
            let hops = [accepted] + list.map { describe("old", message.queueID, $0) }
            let (outcome, more) = classify(message, final, recipient)
            record(message, recipient, outcome, hops + more)
        }
        // qmgr's nrcpt counts recipients that have no delivery line yet (or never will).
        let missing = (message.recipientCount ?? 0) - order.count
        if message.onHold, order.isEmpty, message.removedAt == nil {
            record(message, "(held; Postfix logs recipients at delivery)", ProofOutcome(.queued, "in the hold queue"), [accepted])
        } else if missing > 0, message.expired {
            record(message, missing == 1 ? "(1 recipient not logged)" : "(\(missing) recipients not logged)",
                   ProofOutcome(.bounced, "expired in the queue and returned to the sender"), [accepted], count: missing)
        } else if missing > 0 {
            // One entry for all of them (nrcpt comes from the log and can be anything), counted once each.
            let who = missing == 1 ? "(1 recipient not logged)" : "(\(missing) recipients not logged)"
            if message.removedAt == nil {
                record(message, who, ProofOutcome(.queued, "still in the old queue"), [accepted], count: missing)
            } else {
                record(message, who, ProofOutcome(.unaccounted,
                    "the message was removed\(message.removedByAdmin ? " by postsuper" : "") with recipients never logged as delivered"),
                    [accepted], count: missing)
            }
        } else if order.isEmpty, message.recipientCount == nil {
            record(message, "(unknown)", message.removedAt == nil
                ? ProofOutcome(.queued, "accepted, no delivery logged yet")
                : ProofOutcome(.unaccounted, "removed without any delivery line"), [accepted])
        }
    }

    private func isOldHost(_ host: String?) -> Bool {
        inputs.oldLogHosts.isEmpty || inputs.oldLogHosts.contains { $0.lowercased() == host?.lowercased() }
    }

    private func isMirrorCopy(_ recipient: String) -> Bool {
        let domain = recipient.lowercased().split(separator: "@").last.map(String.init) ?? ""
        let suffix = inputs.mirrorCopySuffix.lowercased()
        return domain == suffix || domain.hasSuffix("." + suffix)
    }

    func describe(_ side: String, _ queueID: String, _ attempt: PostfixMessage.Attempt) -> String {
        let d = attempt.delivery
        return "\(side) \(queueID) \(attempt.time) \(d.agent) to=<\(d.recipient)>\(d.originalRecipient.map { " orig_to=<\($0)>" } ?? "")"
            + " relay=\(d.relay) dsn=\(d.dsn) status=\(d.status) (\(d.detail))"
    }

    /// The outcome of the old server's last attempt for one recipient, following a relay
    /// to the new server.
    private mutating func classify(_ message: PostfixMessage, _ attempt: PostfixMessage.Attempt, _ recipient: String)
        -> (ProofOutcome, [String])
    {
        let delivery = attempt.delivery
        if isMirrorCopy(recipient) { return (ProofOutcome(.mirrorCopy, "\(delivery.status) via \(delivery.relay): \(delivery.detail)"), []) }
        switch delivery.status {
        case "sent":
            break
        case "bounced", "expired", "undeliverable":
            return (ProofOutcome(.bounced, "\(delivery.dsn) \(delivery.detail)"), [])
        default:
            if message.removedAt == nil { return (ProofOutcome(.queued, "\(delivery.status): \(delivery.detail)"), []) }
            return (ProofOutcome(.unaccounted, "the message was removed\(message.removedByAdmin ? " by postsuper" : "") while this recipient was \(delivery.status)"), [])
        }
        switch delivery.agent {
        case "local", "virtual":
            return (oldStoreOutcome(attempt, recipient), [])
        case "discard":
            if delivery.detail.contains("mailferry cutover") {
                return (ProofOutcome(.unaccounted, "the cutover's discard took a recipient that is not a mirror copy"), [])
            }
            return (ProofOutcome(.filtered, "discard: \(delivery.detail)"), [])
        case "pipe":
            return (ProofOutcome(.localProgram, "pipe relay=\(delivery.relay)"), [])
        default:
            // Without the new server's names, a relay is the new server when the id it
            // answered with is a message of the new log at that time.
            let inferred = inputs.newServerRelays.isEmpty && delivery.nextQueueID.flatMap {
                new?.index($0, near: attempt.time, toleranceSeconds: inputs.hostToleranceSeconds)
            } != nil
            guard isNewServer(delivery.relay) || inferred else {
                return (ProofOutcome(.relayedOffSite, "relay=\(delivery.relay)"), [])
            }
            return follow(message, attempt, recipient)
        }
    }

    private func oldStoreOutcome(_ attempt: PostfixMessage.Attempt, _ recipient: String) -> ProofOutcome {
        if let start = inputs.oldStore.finalSyncStartedAt, attempt.time >= start {
            return ProofOutcome(.unaccounted, "delivered into the old store at \(attempt.time), after the final sync began (\(start))")
        }
        // local(8) logs the address after alias expansion in to= and the one the sender used
        // in orig_to=; the account may be known by either.
        let verified = inputs.oldStore.verifiedAddresses
        switch verified[recipient.lowercased()] ?? attempt.delivery.originalRecipient.flatMap({ verified[$0.lowercased()] }) {
        case true?: return ProofOutcome(.deliveredOld, "in the old store before the final sync; verify found the account complete")
        case false?: return ProofOutcome(.unaccounted, "in the old store, but verify did not pass for this account")
        case nil: return ProofOutcome(.unaccounted, "in the old store, and no verify result covers this address")
        }
    }

    func isNewServer(_ relay: String) -> Bool {
        // relay=NAME[ADDR]:PORT
        var name = Substring(relay)
        var address = Substring("")
        var port = Substring("")
        if let colon = relay.lastIndex(of: ":"), relay[..<colon].hasSuffix("]") {
            port = relay[relay.index(after: colon)...]
            name = relay[..<colon]
        }
        if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
            address = name[name.index(after: open)..<name.index(before: name.endIndex)]
            name = name[..<open]
        }
        let forms = Set([name, address].filter { !$0.isEmpty }.flatMap { [String($0), "\($0):\(port)", "[\($0)]:\(port)", "[\($0)]"] })
        return inputs.newServerRelays.contains { forms.contains($0.lowercased()) || forms.contains($0) }
    }
}
