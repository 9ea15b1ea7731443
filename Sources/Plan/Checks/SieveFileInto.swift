/// One "mail whose header matches goes into a folder" rule, the kind maildrop and procmail
/// files mostly hold, and its Sieve form. The translation is deliberately narrow: a rule is
/// built only when its meaning is certain, and anything else is left to a person.
struct SieveFileInto: Sendable, Equatable {
    enum Test: Sendable, Equatable {
        /// The header's value contains the text (case-insensitive, as both sources match).
        case contains(String)
        /// The header's value matches a POSIX extended regular expression (Sieve "regex").
        case regex(String)
    }

    /// The header tested, as written (`From`); nil for mail that goes there unconditionally.
    var header: String?
    var test: Test?
    /// The IMAP folder name on the new server.
    var folder: String

    /// The condition of a `^Header:regex` pattern as maildrop and procmail write it, both
    /// matched against each header line, case-insensitively by default: the header name must
    /// be a plain token, and the rest must mean the same against the header's value in Sieve
    /// (white space after the colon is not part of a Sieve value; a leading `.*` is what an
    /// unanchored match does anyway, and without one the match is anchored at the value's
    /// start). nil when it is not such a pattern or uses regular expression features POSIX
    /// ERE lacks.
    static func condition(pattern: String) -> (header: String, test: Test)? {
        guard pattern.hasPrefix("^"), let colon = pattern.firstIndex(of: ":") else { return nil }
        let header = String(pattern[pattern.index(after: pattern.startIndex)..<colon])
        guard !header.isEmpty, header.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        var rest = Substring(pattern[pattern.index(after: colon)...])
        var spaced = false
        while let first = rest.first, first == " " || first == "\t" {
            rest = rest.dropFirst()
            spaced = true
        }
        for prefix in [" *", "[ \\t]*", "\\s*"] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            spaced = true
        }
        // Without a leading `.*` the pattern is anchored at the value's start, which Sieve's
        // value (white space after the colon removed) keeps only when the source allowed it.
        let anchored = !rest.hasPrefix(".*")
        if anchored {
            guard spaced else { return nil }
        } else {
            rest = rest.dropFirst(2)
        }
        while rest.hasSuffix(".*"), !rest.hasSuffix("\\.*") { rest = rest.dropLast(2) }
        guard !rest.isEmpty else { return nil }
        let text = String(rest)
        if !anchored, !text.contains(where: { "\\.^$*+?()[]{}|".contains($0) }) { return (header, .contains(text)) }
        // Escapes and constructs whose meaning differs between Perl-style and POSIX ERE.
        for perlOnly in ["\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\b", "\\B", "(?", "*?", "+?", "??", "\\<", "\\>", "\\A", "\\Z", "\\z"] where text.contains(perlOnly) {
            return nil
        }
        return (header, .regex(anchored ? "^" + text : text))
    }

    /// The folder a Maildir++ path names, relative to the Maildir (`.Folder/` → `Folder`):
    /// only a single folder level in plain ASCII, since a sub-folder's separator and a
    /// modified UTF-7 name depend on the new server's namespace.
    static func folder(maildirRelative path: String) -> String? {
        var name = Substring(path)
        guard name.hasPrefix(".") else { return nil }
        name = name.dropFirst()
        if name.hasSuffix("/") { name = name.dropLast() }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_ ".contains($0)) }) else { return nil }
        return String(name)
    }

    /// The Sieve script of `rules` in order: each one ends the processing, as a maildrop
    /// `to` or a procmail delivering recipe ends delivery.
    static func script(_ rules: [SieveFileInto]) -> String {
        let usesRegex = rules.contains { if case .regex = $0.test { true } else { false } }
        var lines = [usesRegex ? "require [\"fileinto\", \"regex\"];" : "require [\"fileinto\"];"]
        for rule in rules {
            let action = "fileinto \(DeliveryFilter.sieveString(rule.folder));"
            guard let header = rule.header, let test = rule.test else {
                lines += [action, "stop;"]
                continue
            }
            let condition: String
            switch test {
            case .contains(let text): condition = "header :contains \(DeliveryFilter.sieveString(header)) \(DeliveryFilter.sieveString(text))"
            case .regex(let text): condition = "header :regex \(DeliveryFilter.sieveString(header)) \(DeliveryFilter.sieveString(text))"
            }
            lines += ["if \(condition) {", "  \(action)", "  stop;", "}"]
        }
        return lines.joined(separator: "\n")
    }
}
