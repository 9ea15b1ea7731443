import Foundation
import MailModel
import MailTestSupport
@testable import Maildir

/// What a client sees of one mailbox: identity and every message's flags and date, keyed by
/// UID. The common currency for comparing Courier, this code's readers and Dovecot.
struct IMAPMailboxView: Hashable, CustomStringConvertible {
    struct Message: Hashable {
        let flags: Set<String>
        let date: Int64
    }

    var uidValidity: UInt32
    var uidNext: UInt32
    var messages: [UInt32: Message]

    var description: String {
        "V=\(uidValidity) N=\(uidNext) " + messages.keys.sorted().map { uid in
            "\(uid):[\(messages[uid]!.flags.sorted().joined(separator: " "))]@\(messages[uid]!.date)"
        }.joined(separator: " ")
    }

    /// Every selectable mailbox of an IMAP session, keyed by decoded levels below INBOX
    /// (`[]` for INBOX) so that Courier's `INBOX.a.b` and Dovecot's `a/b` compare equal.
    static func read(_ session: IMAPTestSession, separator: Character, prefix: String) async throws -> [[String]: IMAPMailboxView] {
        let list = try await session.command("LIST \"\" \"*\"")
        var result: [[String]: IMAPMailboxView] = [:]
        for line in list.untagged where line.hasPrefix("* LIST ") {
            guard !line.contains("\\Noselect"), !line.contains("\\NonExistent"),
                let name = line.split(separator: " ", omittingEmptySubsequences: true).last.map({ String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) })
            else { continue }
            let decoded = try ModifiedUTF7.decode(name)
            var levels = decoded.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            if prefix.isEmpty {
                if levels == ["INBOX"] { levels = [] }
            } else {
                levels = Array(levels.dropFirst())
            }
            result[levels] = try await view(session, name)
        }
        return result
    }

    static func view(_ session: IMAPTestSession, _ name: String) async throws -> IMAPMailboxView {
        let quoted = IMAPTestSession.quoted(name)
        let selected = try await session.command("SELECT \(quoted)")
        precondition(selected.isOK, "SELECT \(name): \(selected.text)")
        let status = try await session.command("STATUS \(quoted) (UIDVALIDITY UIDNEXT)")
        let statusLine = status.untagged.first { $0.hasPrefix("* STATUS") } ?? ""
        var view = IMAPMailboxView(
            uidValidity: UInt32(capture(#"UIDVALIDITY (\d+)"#, statusLine) ?? "0") ?? 0,
            uidNext: UInt32(capture(#"UIDNEXT (\d+)"#, statusLine) ?? "0") ?? 0, messages: [:])
        let fetch = try await session.command("UID FETCH 1:* (UID FLAGS INTERNALDATE)")
        for line in fetch.untagged where line.contains(" FETCH ") {
            guard let uid = capture(#"UID (\d+)"#, line).flatMap({ UInt32($0) }),
                let date = capture(#"INTERNALDATE "([^"]*)""#, line).flatMap({ InternalDate(imapString: $0) })
            else { continue }
            let flags = (capture(#"FLAGS \(([^)]*)\)"#, line) ?? "").split(separator: " ").map(String.init).filter { $0 != "\\Recent" }
            view.messages[uid] = Message(flags: Set(flags), date: date.secondsSince1970)
        }
        return view
    }

    /// The same view computed by this code's Courier reader.
    static func read(_ maildir: CourierMaildir) throws -> [[String]: IMAPMailboxView] {
        var result: [[String]: IMAPMailboxView] = [:]
        for folder in try maildir.folders().folders {
            let snapshot = try maildir.read(folder)
            var view = IMAPMailboxView(
                uidValidity: snapshot.uidValidity?.rawValue ?? 0, uidNext: snapshot.nextUID.rawValue, messages: [:])
            for message in snapshot.messages {
                guard let uid = message.uid else { continue }
                let flags = Set(message.flags.map(\.stringValue) + message.keywords)
                view.messages[uid.rawValue] = Message(flags: flags, date: message.file.modificationTime)
            }
            result[folder.levels] = view
        }
        return result
    }

    static func capture(_ pattern: String, _ text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }
}
