import Foundation

extension MailLogLineParser {
    /// A Postfix daemon's message (after `tag[pid]: `). Nil when a line that must carry fields
    /// (a delivery, a qmgr `from=`) does not have them.
    static func postfix(daemon: Substring, message: Substring) -> MailLogEvent? {
        if message.hasPrefix("NOQUEUE: ") {
            let body = message.dropFirst("NOQUEUE: ".count)
            return action(queueID: nil, body: body) ?? .other
        }
        guard let colon = message.range(of: ": "), isQueueID(message[..<colon.lowerBound]) else {
            if daemon == "smtpd", message.hasPrefix("connect from ") {
                return .connect(client: String(message.dropFirst("connect from ".count)))
            }
            return .other
        }
        let queueID = String(message[..<colon.lowerBound])
        let body = message[colon.upperBound...]
        if body.hasPrefix("client=") {
            let value = body.dropFirst("client=".count)
            return .client(queueID: queueID, client: String(value.prefix { $0 != "," }))
        }
        if daemon == "pickup", body.hasPrefix("uid=") {
            return .pickup(queueID: queueID, sender: field("from", in: body) ?? "")
        }
        if body.hasPrefix("message-id=") {
            return .messageID(queueID: queueID, messageID: String(body.dropFirst("message-id=".count).prefix(998)))
        }
        if body.hasPrefix("to=<") { return delivery(queueID: queueID, agent: daemon, body: body) }
        if body.hasPrefix("from=<") {
            if body.contains("status=expired") { return .expired(queueID: queueID) }
            guard daemon == "qmgr" || daemon == "oqmgr" else { return .other }
            let sender = field("from", in: body) ?? ""
            var recipients: Int?
            if let text = field("nrcpt", in: body) {
                // The proof does arithmetic with it; a count no queue file can hold is a damaged line.
                guard let count = Int(text), count >= 0, count <= 100_000_000 else { return nil }
                recipients = count
            }
            return .queued(queueID: queueID, sender: sender, size: field("size", in: body).flatMap { Int($0) }, recipients: recipients)
        }
        if body == "removed" { return .removed(queueID: queueID, byAdmin: daemon == "postsuper") }
        if body == "placed on hold" { return .placedOnHold(queueID: queueID) }
        if body == "released from hold" { return .releasedFromHold(queueID: queueID) }
        for kind in ["sender non-delivery notification: ", "sender delivery status notification: ", "sender delay notification: "]
        where body.hasPrefix(kind) {
            let newID = body.dropFirst(kind.count)
            guard isQueueID(newID) else { return nil }
            return .notification(queueID: queueID, newQueueID: String(newID), kind: String(kind.dropLast(2)))
        }
        return action(queueID: queueID, body: body) ?? .other
    }

    /// `reject: STAGE from …; from=<a> to=<b> …`, `hold: …`, `discard: …` (smtpd, cleanup, postscreen).
    static func action(queueID: String?, body: Substring) -> MailLogEvent? {
        guard let colon = body.range(of: ": ") else { return nil }
        let verb = body[..<colon.lowerBound]
        let rest = body[colon.upperBound...]
        let text = String(rest.prefix(1000))
        switch verb {
        case "reject", "milter-reject":
            let stage = rest.prefix { $0 != " " }
            return .reject(queueID: queueID, stage: String(stage), recipient: lastField("to", in: rest), text: text)
        case "hold", "milter-hold":
            return .hold(queueID: queueID, text: text)
        case "discard", "milter-discard":
            return queueID.map { .discard(queueID: $0, text: text) }
        default:
            return nil
        }
    }

    static func delivery(queueID: String, agent: Substring, body: Substring) -> MailLogEvent? {
        guard let statusRange = body.range(of: ", status=") else { return nil }
        var fields: [Substring: Substring] = [:]
        for part in body[..<statusRange.lowerBound].split(separator: ", ", omittingEmptySubsequences: true) {
            guard let equals = part.firstIndex(of: "=") else { continue }
            fields[part[..<equals]] = part[part.index(after: equals)...]
        }
        let statusAndDetail = body[statusRange.upperBound...]
        let status = statusAndDetail.prefix { $0 != " " }
        var detail = statusAndDetail.dropFirst(status.count)
        if detail.hasPrefix(" (") {
            detail = detail.dropFirst(2)
            if detail.hasSuffix(")") { detail = detail.dropLast() }
        }
        guard let to = fields["to"], let relay = fields["relay"], !status.isEmpty else { return nil }
        return .delivery(queueID: queueID, PostfixDelivery(
            agent: String(agent), recipient: unbracket(to), originalRecipient: fields["orig_to"].map(unbracket),
            relay: String(relay), dsn: String(fields["dsn"] ?? ""), status: String(status), detail: String(detail.prefix(1000)),
            nextQueueID: nextQueueID(in: detail), lmtpSession: lmtpSession(in: detail)))
    }

    /// `… queued as 3C5A1520870` (Postfix), `… queued as 0661F5-7D0B` (others): the next hop's id.
    static func nextQueueID(in detail: Substring) -> String? {
        guard let range = detail.range(of: "queued as ") else { return nil }
        let id = detail[range.upperBound...].prefix { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
        return id.isEmpty ? nil : String(id.prefix(64))
    }

    /// Dovecot's LMTP reply `250 2.0.0 <rcpt> SESSION Saved`.
    static func lmtpSession(in detail: Substring) -> String? {
        guard detail.hasSuffix(" Saved") else { return nil }
        let words = detail.split(separator: " ")
        guard words.count >= 3 else { return nil }
        return String(words[words.count - 2].prefix(128))
    }

    /// Short queue ids are upper-case hex; long ones (`enable_long_queue_ids`) mix letters
    /// and digits. Words such as `warning` or `NOQUEUE` are neither.
    static func isQueueID(_ word: Substring) -> Bool {
        guard word.count >= 5, word.count <= 32, word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return false }
        let hex = word.allSatisfy { $0.isNumber || ("A"..."F").contains($0) }
        return hex || word.contains(where: \.isNumber)
    }

    /// The value of `name=<…>` or `name=…` (up to `,` or space).
    static func field(_ name: String, in body: Substring) -> String? {
        var search = body[...]
        while let range = search.range(of: name + "=") {
            let atWordStart = range.lowerBound == body.startIndex || [" ", ","].contains(body[body.index(before: range.lowerBound)])
            let value = body[range.upperBound...]
            if atWordStart {
                if value.hasPrefix("<"), let close = value.firstIndex(of: ">") {
                    return String(value[value.index(after: value.startIndex)..<close])
                }
                return String(value.prefix { $0 != "," && $0 != " " })
            }
            search = value
        }
        return nil
    }

    /// The last ` name=<…>` in a reject line (the recipient follows the sender there).
    static func lastField(_ name: String, in body: Substring) -> String? {
        guard let range = body.range(of: " \(name)=<", options: .backwards) else { return nil }
        let value = body[range.upperBound...]
        guard let close = value.firstIndex(of: ">") else { return nil }
        return String(value[..<close])
    }

    static func unbracket(_ value: Substring) -> String {
        value.hasPrefix("<") && value.hasSuffix(">") && value.count >= 2 ? String(value.dropFirst().dropLast()) : String(value)
    }
}
