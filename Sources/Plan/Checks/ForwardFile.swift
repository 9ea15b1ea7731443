import Foundation

/// A `~/.forward` file as Postfix's local(8) reads it: logical lines (a line that starts
/// with white space continues the one before), `#` comment lines, destinations separated by
/// commas or lines, double quotes around anything with white space in it. Mail to the user
/// goes to these destinations instead of the mailbox; the new server (Dovecot behind
/// Postfix's LMTP or virtual delivery) reads no `.forward`, so each one is an address the
/// old server handles in a way the new one will not, unless the admin rebuilds it there.
///
/// Sans-IO: the plan reads the bytes (bounded) and hands the text here.
public struct ForwardFile: Sendable, Equatable {
    public enum Destination: Sendable, Equatable {
        /// `user@domain`: a forward.
        case address(String)
        /// A bare name: another local user (local(8) appends `@$myorigin`).
        case localUser(String)
        /// `\user`, the user's own name, or the user's own Maildir: the mailbox keeps a copy.
        case keep
        /// `\other`: straight into another local user's mailbox.
        case mailbox(String)
        /// `|command`: piped into a program on the old host.
        case pipe(String)
        /// `/path`: appended to a file (or a Maildir, with a trailing `/`) on the old host.
        case file(String)
        /// `:include:/path`: the destinations listed in a file on the old host.
        case include(String)
        /// Something the plan cannot read with confidence; a person must.
        case unclear(String, why: String)
    }

    public var destinations: [Destination] = []
    /// Destinations past ``maximumDestinations``, counted, not kept.
    public var omitted = 0
    /// What is odd about the file as a whole (CR LF line ends, an unclosed quote).
    public var oddities: [String] = []

    /// A report lists this many destinations of one file at most.
    public static let maximumDestinations = 200
    /// A destination is shown with at most this many characters.
    static let maximumShown = 200

    public init(destinations: [Destination] = [], omitted: Int = 0, oddities: [String] = []) {
        self.destinations = destinations
        self.omitted = omitted
        self.oddities = oddities
    }

    /// Parses `text` for `account` (a login name, or `user@domain`), whose home is `home`
    /// (to recognise the user's own Maildir).
    public init(parsing text: String, account: String, home: String? = nil) {
        // CR LF is one Character in Swift: split at it too, and say so.
        if text.contains(where: { $0 == "\r\n" }) {
            oddities.append("CR LF line ends (written on Windows?): Postfix reads each CR as part of the line")
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        var logical: [String] = []
        for line in lines {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.first == " " || line.first == "\t", !logical.isEmpty {
                logical[logical.count - 1] += " " + trimmed
            } else {
                logical.append(String(trimmed))
            }
        }
        let user = Self.localPart(account).lowercased()
        for line in logical {
            let (entries, closed) = Self.split(line)
            if !closed { oddities.append("an unclosed double quote in \(Self.shown(line))") }
            for (index, entry) in entries.enumerated() {
                // The entry the open quote starts runs to the end of the line.
                let open = !closed && index == entries.count - 1
                let parsed: Destination? = open ? .unclear(Self.shown(entry), why: "an unclosed double quote") : Self.classify(entry, user: user, home: home)
                guard let destination = parsed else { continue }
                if destinations.count < Self.maximumDestinations { destinations.append(destination) } else { omitted += 1 }
            }
        }
    }

    /// The entries of one logical line: split at commas outside double quotes. Whether the
    /// quotes were balanced is returned too.
    static func split(_ line: String) -> (entries: [String], closed: Bool) {
        var entries: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" && quoted {
                current.append(character)
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                current.append(character)
            } else if character == "," && !quoted {
                entries.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        entries.append(current)
        return (entries.map { $0.trimmingCharacters(in: [" ", "\t"]) }.filter { !$0.isEmpty }, !quoted)
    }

    /// One entry as a destination; nil for nothing at all (`""`).
    static func classify(_ raw: String, user: String, home: String?) -> Destination? {
        var entry = raw
        let wasQuoted = entry.count >= 2 && entry.hasPrefix("\"") && entry.hasSuffix("\"")
        if wasQuoted { entry = String(entry.dropFirst().dropLast()).trimmingCharacters(in: [" ", "\t"]) }
        // `Name <user@domain>`: the address in the angle brackets.
        if !wasQuoted, entry.hasSuffix(">"), let open = entry.lastIndex(of: "<") {
            entry = String(entry[entry.index(after: open)..<entry.index(before: entry.endIndex)])
        }
        guard !entry.isEmpty else { return nil }
        let shown = Self.shown(entry)
        if entry.hasPrefix("|"), !wasQuoted, entry.contains(where: { $0 == " " || $0 == "\t" }) {
            return .unclear(shown, why: "a command with unquoted white space: Postfix may not read it as one command")
        }
        if entry.hasPrefix("|") { return .pipe(Self.shown(String(entry.dropFirst()).trimmingCharacters(in: [" ", "\t"]))) }
        if entry.lowercased().hasPrefix(":include:") { return .include(Self.shown(String(entry.dropFirst(9)).trimmingCharacters(in: [" ", "\t"]))) }
        if entry.hasPrefix("/") {
            if let home, Self.isOwnMaildir(entry, home: home) { return .keep }
            return .file(shown)
        }
        if !wasQuoted, entry.contains(where: { $0 == " " || $0 == "\t" }) {
            return .unclear(shown, why: "unquoted white space: Postfix reads it as more than one destination, or refuses it")
        }
        if entry.contains(where: { $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }) {
            return .unclear(shown, why: "control characters")
        }
        if entry.hasPrefix("\\") {
            let name = String(entry.dropFirst())
            return name.lowercased() == user ? .keep : .mailbox(shown.hasPrefix("\\") ? String(shown.dropFirst()) : shown)
        }
        if entry.hasPrefix("~") || entry.hasPrefix(".") {
            return .unclear(shown, why: "a relative path: Postfix delivers only to absolute paths, and reads this as a user name")
        }
        if entry.contains("@") {
            let at = entry.lastIndex(of: "@")!
            guard at != entry.startIndex, entry.index(after: at) != entry.endIndex else {
                return .unclear(shown, why: "not an address: nothing before or after the @")
            }
            return .address(shown)
        }
        return entry.lowercased() == user ? .keep : .localUser(shown)
    }

    /// `~/Maildir/` (with or without the slash): mail stays where the sync copies from.
    static func isOwnMaildir(_ path: String, home: String) -> Bool {
        let base = home.hasSuffix("/") ? String(home.dropLast()) : home
        return path == base + "/Maildir/" || path == base + "/Maildir"
    }

    static func localPart(_ account: String) -> String {
        guard let at = account.lastIndex(of: "@") else { return account }
        return String(account[..<at])
    }

    /// Text from the file as a report shows it: at most ``maximumShown`` characters.
    static func shown(_ text: String) -> String {
        text.count <= maximumShown ? text : String(text.prefix(maximumShown)) + "…"
    }
}
