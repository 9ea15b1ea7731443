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

        /// The kind of a file in a home: local(8) also reads `.forward+ext` (forward_path's
        /// default `$home/.forward${recipient_delimiter}${extension}`) for `user+ext` mail.
        init?(fileName: String) {
            if fileName.hasPrefix(".forward+") || fileName.hasPrefix(".forward-") {
                self = .forward
            } else {
                self.init(rawValue: fileName)
            }
        }
    }

    public var kind: Kind
    public var path: String
    public var text: String
    /// The account whose home holds it (`\user` in a `.forward` names it).
    public var account: String
    /// The account's home, to recognise its own Maildir in a `.forward`.
    public var home: String?
    /// What kept the plan from reading it whole and as text: too big, unreadable, not UTF-8.
    public var problems: [String]
    /// The account's `~/.vacation.msg`, read whole as UTF-8, for a `.forward` that pipes into
    /// vacation(1).
    public var vacationMessage: String?

    public init(kind: Kind, path: String, text: String, account: String = "", home: String? = nil, problems: [String] = []) {
        self.kind = kind
        self.path = path
        self.text = text
        self.account = account
        self.home = home
        self.problems = problems
    }

    /// A file read (bounded) from `home`; nil when it is no filter file.
    init?(_ file: OldHostFiles.File, home: String, account: String, limit: Int) {
        guard let kind = Kind(fileName: file.name) else { return nil }
        var problems: [String] = []
        if let size = file.size {
            if file.truncated { problems.append("it is \(size) bytes: only its first \(limit) were read") }
        } else {
            problems.append("it cannot be read")
        }
        // A cut at the limit may split a character: only the bytes before it must be valid.
        let checked = file.truncated ? Array(file.bytes.dropLast(3)) : file.bytes
        if String(validating: checked, as: UTF8.self) == nil { problems.append("it is not valid UTF-8") }
        if file.bytes.contains(0) { problems.append("it contains NUL bytes") }
        self.init(kind: kind, path: (home as NSString).appendingPathComponent(file.name), text: String(decoding: file.bytes, as: UTF8.self),
                  account: account, home: home, problems: problems)
    }

    /// The `.forward` parsed (for a `.forward`-kind filter).
    public var forward: ForwardFile { ForwardFile(parsing: text, account: account, home: home) }

    /// What the filter does in words, and the Sieve script that does the same when it can be
    /// translated without judgment (nil: a person must read it).
    public var translation: (summary: String, sieve: String?) {
        switch kind {
        case .forward:
            let forward = self.forward
            return (forward.summary, problems.isEmpty ? forward.sieve(domain: nil, vacationMessage: vacationMessage) : nil)
        case .sieve: return ("a Sieve script", problems.isEmpty ? text : nil)
        case .mailfilter:
            return ("a maildrop filter with \(Self.ruleCount(text)) rule\(Self.ruleCount(text) == 1 ? "" : "s")\(Self.mentionsVacation(text) ? ", with an autoreply" : "")",
                    problems.isEmpty ? MaildropFilter.sieve(text) : nil)
        case .procmail:
            return ("a procmail recipe file with \(Self.ruleCount(text)) recipe\(Self.ruleCount(text) == 1 ? "" : "s")\(Self.mentionsVacation(text) ? ", with an autoreply" : "")",
                    problems.isEmpty ? ProcmailRecipes.sieve(text) : nil)
        }
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
