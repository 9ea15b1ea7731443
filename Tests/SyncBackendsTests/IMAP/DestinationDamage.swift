import Foundation
import MailTestSupport
import Testing

/// Damage done on purpose to a migrated account on the new server (Dovecot, through the
/// master user), one case of each kind `mailferry verify` must name: in INBOX, the second of two
/// twins (same Message-ID) and one other message deleted, one message replaced by a copy with one
/// byte changed, \Seen removed from one message and a keyword added to another, an extra message;
/// the folder Doomed deleted and Watched unsubscribed.
struct DestinationDamage {
    /// The Message-IDs of the messages deleted and altered in INBOX.
    private(set) var deletedMessageID = ""
    private(set) var alteredMessageID = ""

    init(stores: TestbedStores, twin: String) async throws {
        let master = stores.testbed.new.masterUser!
        let imap = try await IMAPTestSession(stores.testbed.new.imap)
        try #require(try await imap.login(stores.user.name + master.separator + master.name, try master.password()).isOK)
        try #require(try await imap.command("SELECT INBOX").isOK)

        let twins = try Self.uids(try await imap.command("UID SEARCH BODY \"second twin body\""))
        try #require(twins.count == 1)
        let candidates = try await Self.plainMessages(imap, excluding: twin)
        try #require(candidates.count >= 4, "INBOX needs four ASCII messages with a unique Message-ID")
        deletedMessageID = candidates[0].messageID
        alteredMessageID = candidates[1].messageID

        // Altered: the same message with its last byte before the final CRLF changed, then the original removed.
        let fetched = try await imap.command("UID FETCH \(candidates[1].uid) (BODY.PEEK[])")
        var bytes = try #require(fetched.literals.first)
        let index = bytes.count - 3
        bytes[index] = bytes[index] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        try #require(try await imap.append(to: "INBOX", flags: candidates[1].flags, bytes).isOK)

        // Flags: \Seen off one message, a keyword on another.
        try #require(candidates[2].flags.contains("\\Seen"))
        try #require(try await imap.command("UID STORE \(candidates[2].uid) -FLAGS (\\Seen)").isOK)
        try #require(try await imap.command("UID STORE \(candidates[3].uid) +FLAGS ($Tampered)").isOK)

        let gone = [twins[0], candidates[0].uid, candidates[1].uid].map(String.init).joined(separator: ",")
        try #require(try await imap.command("UID STORE \(gone) +FLAGS.SILENT (\\Deleted)").isOK)
        try #require(try await imap.command("UID EXPUNGE \(gone)").isOK)

        let extra = "Message-ID: <extra-\(UUID().uuidString)@new.test>\r\nSubject: arrived only on the new server\r\n\r\nx\r\n"
        try #require(try await imap.append(to: "INBOX", Array(extra.utf8)).isOK)
        try #require(try await imap.command("UNSELECT").isOK)
        try #require(try await imap.command("DELETE Doomed").isOK)
        try #require(try await imap.command("UNSUBSCRIBE Watched").isOK)
        try await imap.command("LOGOUT")
    }

    struct Candidate {
        var uid: Int
        var messageID: String
        var flags: String
    }

    /// INBOX messages that are plain ASCII, with a Message-ID no other INBOX message has.
    static func plainMessages(_ imap: IMAPTestSession, excluding twin: String) async throws -> [Candidate] {
        let response = try await imap.command("UID FETCH 1:* (UID FLAGS RFC822.SIZE BODY.PEEK[])")
        try #require(response.isOK)
        var found: [Candidate] = []
        var seen: [String: Int] = [:]
        var literal = 0
        for line in response.untagged where line.contains(" FETCH (") {
            guard line.contains("\u{0}"), literal < response.literals.count else { continue }
            let bytes = response.literals[literal]
            literal += 1
            guard let uid = Self.number(after: "UID ", in: line), let flags = Self.parenthesised(after: "FLAGS (", in: line),
                  let id = Self.messageID(bytes)
            else { continue }
            seen[id, default: 0] += 1
            if bytes.allSatisfy({ $0 < 0x80 }), Self.hasOnlyCRLF(bytes), id != twin {
                found.append(Candidate(uid: uid, messageID: id, flags: flags.replacingOccurrences(of: "\\Recent", with: "")
                    .trimmingCharacters(in: .whitespaces)))
            }
        }
        // Candidates needing a \Seen to remove come third: move one with \Seen there if there is one.
        var unique = found.filter { seen[$0.messageID] == 1 }
        if let seenIndex = unique.indices.dropFirst(2).first(where: { unique[$0].flags.contains("\\Seen") }) {
            unique.swapAt(2, seenIndex)
        }
        return unique
    }

    static func hasOnlyCRLF(_ bytes: [UInt8]) -> Bool {
        bytes.indices.allSatisfy { bytes[$0] != UInt8(ascii: "\n") || ($0 > 0 && bytes[$0 - 1] == UInt8(ascii: "\r")) }
    }

    static func messageID(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes.prefix(8192), as: UTF8.self)
        for line in text.components(separatedBy: "\r\n") {
            if line.isEmpty { return nil }
            if line.lowercased().hasPrefix("message-id:") {
                return line.dropFirst("message-id:".count).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    static func uids(_ response: IMAPTestResponse) throws -> [Int] {
        try #require(response.isOK)
        let line = response.untagged.first { $0.hasPrefix("* SEARCH") } ?? ""
        return line.split(separator: " ").dropFirst(2).compactMap { Int($0) }
    }

    static func number(after key: String, in line: String) -> Int? {
        guard let range = line.range(of: key) else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    static func parenthesised(after key: String, in line: String) -> String? {
        guard let range = line.range(of: key) else { return nil }
        return String(line[range.upperBound...].prefix { $0 != ")" })
    }
}
