import Foundation

/// A per-user delivery filter found in an account's home on the old host. The new server
/// runs none of them (Dovecot filters with Sieve), and IMAP does not carry them, so each
/// one is either translated into a Sieve script the admin reviews, or needs a person.
public struct DeliveryFilter: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// `~/.forward`: addresses, `\user`, `|program`, `/file`.
        case forward = ".forward"
        /// maildrop's `~/.mailfilter` (Courier's delivery agent).
        case mailfilter = ".mailfilter"
        /// procmail's `~/.procmailrc`.
        case procmail = ".procmailrc"
        /// A Sieve script already there (`~/.dovecot.sieve`).
        case sieve = ".dovecot.sieve"
    }

    public var kind: Kind
    public var path: String
    public var text: String

    public init(kind: Kind, path: String, text: String) {
        self.kind = kind
        self.path = path
        self.text = text
    }

    /// What the filter does in words, and the Sieve script that does the same when it can be
    /// translated without judgment (nil: a person must read it).
    public var translation: (summary: String, sieve: String?) {
        switch kind {
        case .forward: return Self.translateForward(text)
        case .sieve: return ("a Sieve script", text)
        case .mailfilter:
            return ("a maildrop filter with \(Self.ruleCount(text)) rule\(Self.ruleCount(text) == 1 ? "" : "s")\(Self.mentionsVacation(text) ? ", with an autoreply" : "")", nil)
        case .procmail:
            return ("a procmail recipe file with \(Self.ruleCount(text)) recipe\(Self.ruleCount(text) == 1 ? "" : "s")\(Self.mentionsVacation(text) ? ", with an autoreply" : "")", nil)
        }
    }

    /// `.forward` (local(8)): entries separated by commas or lines; `\user` keeps a copy in
    /// the user's own mailbox, `|cmd` pipes, `/path` appends to a file, `:include:` reads a
    /// list. Plain addresses become Sieve `redirect`s; anything else needs a person.
    static func translateForward(_ text: String) -> (summary: String, sieve: String?) {
        var addresses: [String] = []
        var keep = false
        var other: [String] = []
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            for part in line.split(separator: ",") {
                let entry = part.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""])
                guard !entry.isEmpty else { continue }
                if entry.hasPrefix("\\") {
                    keep = true
                } else if entry.hasPrefix("|") || entry.hasPrefix("/") || entry.lowercased().hasPrefix(":include:") || !entry.contains("@") {
                    other.append(entry)
                } else {
                    addresses.append(entry)
                }
            }
        }
        guard other.isEmpty else {
            let vacation = other.contains { $0.contains("vacation") }
            return ("delivers to \(other.joined(separator: ", "))\(vacation ? " (an autoreply)" : "")", nil)
        }
        guard !addresses.isEmpty else { return ("keeps mail in the mailbox only", nil) }
        let summary = "forwards to \(addresses.joined(separator: ", "))\(keep ? " and keeps a copy" : "")"
        let sieve = (addresses.map { "redirect \(sieveString($0));" } + (keep ? ["keep;"] : [])).joined(separator: "\n")
        return (summary, sieve)
    }

    /// A Sieve quoted string (RFC 5228 2.4.2): backslash and quote escaped.
    static func sieveString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Rules of a maildrop file (`if` lines and `to`/`cc` deliveries at the top level) or
    /// recipes of a procmail file (`:0` lines): enough to tell an admin the size of the work.
    static func ruleCount(_ text: String) -> Int {
        text.split(separator: "\n").filter { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix(":0") || trimmed.hasPrefix("if") || trimmed.hasPrefix("to ") || trimmed.hasPrefix("cc ")
        }.count
    }

    static func mentionsVacation(_ text: String) -> Bool {
        text.contains("mailbot") || text.contains("vacation") || text.contains("autorespond")
    }
}
