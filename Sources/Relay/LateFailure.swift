public import MailSpool

/// A delivery status notification the new server sent about a copy it had accepted
/// (RFC 3464): one per reported recipient, with the copy's queue id when the returned
/// headers carry a tag that verifies. `mirror report` lists these.
public struct LateFailure: Hashable, Sendable, Codable {
    /// When the mirror received the notification.
    public var receivedAt: Double
    /// The copy it is about, when its tag came back and verified.
    public var id: QueueID?
    /// `Final-Recipient` (address only), `Action` (`failed`, `delayed`, ...), `Status` and
    /// `Diagnostic-Code` (empty when absent).
    public var recipient: String
    public var action: String
    public var status: String
    public var diagnostic: String

    public init(receivedAt: Double, id: QueueID?, recipient: String, action: String, status: String, diagnostic: String) {
        self.receivedAt = receivedAt
        self.id = id
        self.recipient = recipient
        self.action = action
        self.status = status
        self.diagnostic = diagnostic
    }

    /// The most of a notification that is read: the status part and the returned headers
    /// come first; a returned body is not needed.
    public static let readLimit = 64 << 10

    /// The reported recipients of a notification (its first `readLimit` octets). Reads the
    /// per-recipient fields wherever they are (a `message/delivery-status` part, or the
    /// same fields in a plain-text bounce); a notification without any gives one record
    /// with an empty recipient, so that nothing the new server said is lost.
    public static func parse(_ bytes: [UInt8], tag: MirrorTag, receivedAt: Double) -> [LateFailure] {
        let lines = unfoldedLines(bytes.prefix(readLimit))
        var id: QueueID?
        var records: [LateFailure] = []
        func field(_ line: String, _ name: String) -> String? {
            guard line.utf8.count > name.utf8.count, line.lowercased().hasPrefix(name.lowercased() + ":") else { return nil }
            return String(line.dropFirst(name.count + 1)).trimmingCharacters(in: " \t")
        }
        for line in lines {
            if id == nil, let value = field(line, MirrorTag.headerName) { id = tag.verify(value) }
            if let value = field(line, "Final-Recipient") {
                // `rfc822; bob@new.test`: the address after the type.
                let address = value.split(separator: ";", maxSplits: 1).last.map { String($0).trimmingCharacters(in: " \t") } ?? value
                records.append(LateFailure(receivedAt: receivedAt, id: nil, recipient: address, action: "", status: "", diagnostic: ""))
            } else if let value = field(line, "Action"), !records.isEmpty {
                records[records.count - 1].action = value.lowercased()
            } else if let value = field(line, "Status"), !records.isEmpty {
                records[records.count - 1].status = value
            } else if let value = field(line, "Diagnostic-Code"), !records.isEmpty {
                records[records.count - 1].diagnostic = value
            }
        }
        if records.isEmpty {
            records = [LateFailure(receivedAt: receivedAt, id: nil, recipient: "", action: "unknown", status: "",
                                   diagnostic: "a notification without delivery-status fields")]
        }
        return records.map { record in
            var record = record
            record.id = id
            return record
        }
    }

    /// Lines (CRLF or LF), with continuation lines joined to the line they continue, each
    /// at most 998 octets as mail allows (longer ones are cut, the rest is not needed).
    static func unfoldedLines(_ bytes: ArraySlice<UInt8>) -> [String] {
        var lines: [String] = []
        for raw in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            let line = raw.last == 13 ? raw.dropLast() : raw
            let text = String(decoding: line.prefix(998), as: UTF8.self)
            if let first = line.first, first == 32 || first == 9, !lines.isEmpty, !lines[lines.count - 1].isEmpty {
                lines[lines.count - 1] += " " + text.trimmingCharacters(in: " \t")
            } else {
                lines.append(text)
            }
        }
        return lines
    }
}
