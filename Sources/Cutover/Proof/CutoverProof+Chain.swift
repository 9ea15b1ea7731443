extension CutoverProofBuilder {
    /// Follows one recipient relayed to the new server: the `queued as` id, near the relay's
    /// time, in the new log; that message's delivery for the recipient; for LMTP, Dovecot's
    /// line for the session the `Saved` reply named.
    mutating func follow(_ message: PostfixMessage, _ attempt: PostfixMessage.Attempt, _ recipient: String) -> (ProofOutcome, [String]) {
        let delivery = attempt.delivery
        guard let new else {
            return (ProofOutcome(.unaccounted, "relayed to the new server, whose log was not given"), [])
        }
        guard let nextID = delivery.nextQueueID else {
            return (ProofOutcome(.unaccounted, "relayed to the new server, but its reply named no queue id: \(delivery.detail)"), [])
        }
        guard let index = new.index(nextID, near: attempt.time, toleranceSeconds: inputs.hostToleranceSeconds) else {
            return (ProofOutcome(.unaccounted,
                "relayed to the new server as \(nextID) at \(attempt.time), but its log has no message \(nextID) within \(inputs.hostToleranceSeconds) s"), [])
        }
        chainedNew.insert(index)
        let target = new.messages[index]
        var hops = ["new \(nextID) received \(target.firstSeen)\(target.origin.map { " from \($0)" } ?? "")"]
        let wanted = recipient.lowercased()
        var matched = target.deliveries.filter {
            $0.delivery.recipient.lowercased() == wanted || $0.delivery.originalRecipient?.lowercased() == wanted
        }
        if matched.isEmpty {
            // A rewrite on the way (smtp_generic_maps, a canonical map) changes the address;
            // with one recipient on each side of this hop the pairing is still certain.
            let sentTogether = Set(message.deliveries.filter { $0.delivery.nextQueueID == nextID }.map { $0.delivery.recipient.lowercased() })
            let arrived = Set(target.deliveries.map { ($0.delivery.originalRecipient ?? $0.delivery.recipient).lowercased() })
            if sentTogether.count == 1, arrived.count == 1 {
                matched = target.deliveries
                hops.append("new \(nextID): the address was rewritten to <\(matched[0].delivery.recipient)>")
            }
        }
        guard !matched.isEmpty else {
            if target.removedAt == nil { return (ProofOutcome(.queued, "on the new server as \(nextID), not yet delivered"), hops) }
            return (ProofOutcome(.unaccounted, "the new server's \(nextID) has no delivery for this recipient"), hops)
        }
        var order: [String] = []
        var byRecipient: [String: [PostfixMessage.Attempt]] = [:]
        for attempt in matched {
            let key = attempt.delivery.recipient.lowercased()
            if byRecipient[key] == nil { order.append(key) }
            byRecipient[key, default: []].append(attempt)
        }
        var outcomes: [ProofOutcome] = []
        for key in order {
            let list = byRecipient[key]!
            hops += list.map { describe("new", nextID, $0) }
            let sent = list.filter { $0.delivery.status == "sent" }
            if sent.count > 1 {
                duplicates.append(ProofDuplicate(queueID: message.queueID, recipient: recipient, messageID: target.messageID,
                                                 deliveries: sent.map { describe("new", nextID, $0) }))
            }
            let final = list.last { $0.delivery.isFinal } ?? list.last!
            let (outcome, more) = classifyNew(target, final)
            hops += more
            outcomes.append(outcome)
        }
        let worst = outcomes.max { $0.severity < $1.severity }!
        let combined = ProofOutcome(worst.kind, outcomes.map(\.detail).joined(separator: "; "),
                                    folders: outcomes.flatMap(\.folders))
        return (combined, hops)
    }

    private func classifyNew(_ target: PostfixMessage, _ attempt: PostfixMessage.Attempt) -> (ProofOutcome, [String]) {
        let delivery = attempt.delivery
        switch delivery.status {
        case "sent":
            break
        case "bounced", "expired", "undeliverable":
            return (ProofOutcome(.bounced, "the new server bounced it: \(delivery.dsn) \(delivery.detail)"), [])
        default:
            if target.removedAt == nil { return (ProofOutcome(.queued, "on the new server, \(delivery.status): \(delivery.detail)"), []) }
            return (ProofOutcome(.unaccounted, "the new server removed it while \(delivery.status)"), [])
        }
        switch delivery.agent {
        case "lmtp":
            guard let session = delivery.lmtpSession else {
                return (ProofOutcome(.deliveredNew, "LMTP accepted it: \(delivery.detail)"), [])
            }
            guard inputs.dovecotLog != nil else {
                return (ProofOutcome(.deliveredNew, "LMTP session \(session) Saved (Dovecot's log not read)"), [])
            }
            let limit = inputs.hostToleranceSeconds * 1_000_000
            let lines = (saves[session] ?? []).filter { abs($0.time.microseconds - attempt.time.microseconds) <= limit }
            var folders: [String] = []
            var hops: [String] = []
            var other: [(String, Bool)] = []
            for line in lines {
                switch line.event {
                case .dovecotSaved(let user, _, let messageID, let folder):
                    folders.append(folder)
                    hops.append("dovecot \(line.time) \(user) session \(session) msgid=\(messageID) saved to \(folder)")
                case .dovecotOther(let user, _, _, let action, let failed):
                    other.append((action, failed))
                    hops.append("dovecot \(line.time) \(user) session \(session) \(action)")
                default:
                    break
                }
            }
            if !folders.isEmpty { return (ProofOutcome(.deliveredNew, "saved by Dovecot", folders: folders), hops) }
            if let first = other.first {
                let (action, failed) = first
                if failed { return (ProofOutcome(.unaccounted, "Dovecot did not store it: \(action)"), hops) }
                if action.contains("forwarded") || action.contains("redirect") {
                    return (ProofOutcome(.relayedOffSite, "Sieve: \(action)"), hops)
                }
                if action.contains("discard") { return (ProofOutcome(.filtered, "Sieve: \(action)"), hops) }
                return (ProofOutcome(.unaccounted, "Dovecot logged neither a save nor a known action: \(action)"), hops)
            }
            return (ProofOutcome(.unaccounted, "LMTP replied Saved (session \(session)) but Dovecot's log has no delivery for that session"), [])
        case "local", "virtual":
            return (ProofOutcome(.deliveredNew, "delivered by \(delivery.agent) on the new server"), [])
        case "pipe":
            return (ProofOutcome(.localProgram, "the new server's pipe relay=\(delivery.relay)"), [])
        case "discard":
            return (ProofOutcome(.filtered, "the new server discarded it: \(delivery.detail)"), [])
        default:
            return (ProofOutcome(.relayedOffSite, "the new server relayed it: relay=\(delivery.relay)"), [])
        }
    }

    /// A message the new server received from the old one that no old line names, with a
    /// chained message's Message-ID, delivered to the same recipient: the old server sent
    /// it twice (a reply lost after the data was taken, then a retry).
    mutating func findResentDuplicates() {
        guard let new, !inputs.oldServerClients.isEmpty else { return }
        var chainedKeys: Set<String> = []
        for index in chainedNew {
            let target = new.messages[index]
            guard let id = target.messageID, !id.isEmpty else { continue }
            for attempt in target.deliveries where attempt.delivery.status == "sent" {
                chainedKeys.insert("\(id)\u{0}\(attempt.delivery.recipient.lowercased())")
            }
        }
        let end = inputs.until.adding(seconds: inputs.hostToleranceSeconds)
        for (index, target) in new.messages.enumerated() where !chainedNew.contains(index) && target.firstSeen >= inputs.since && target.firstSeen <= end {
            guard let origin = target.origin, inputs.oldServerClients.contains(where: { origin.contains($0) }),
                  let id = target.messageID, !id.isEmpty else { continue }
            for attempt in target.deliveries where attempt.delivery.status == "sent"
                && chainedKeys.contains("\(id)\u{0}\(attempt.delivery.recipient.lowercased())") {
                duplicates.append(ProofDuplicate(queueID: target.queueID, recipient: attempt.delivery.recipient, messageID: id,
                    deliveries: ["new \(target.queueID) from \(origin), named by no old line: " + describe("new", target.queueID, attempt)]))
            }
        }
    }
}
