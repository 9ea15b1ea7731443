import Foundation

/// A `~/.mailfilter` read for the simple rules only: `if (/^Header:regex/)` around one `to`
/// into a folder of the user's Maildir (braces on the `if` line, on their own lines, or the
/// whole rule on one line), and a last unconditional `to` into a folder. Comments and blank
/// lines are skipped; any other statement (a variable, `cc`, `xfilter`, `exception`, an
/// `else`, a pattern with flags, a folder below another) makes the file one for a person.
enum MaildropFilter {
    /// The Sieve script that does what `text` does, or nil when it is not only simple rules.
    static func sieve(_ text: String) -> String? {
        guard let rules = rules(text), !rules.isEmpty else { return nil }
        return SieveFileInto.script(rules)
    }

    static func rules(_ text: String) -> [SieveFileInto]? {
        // Braces outside quotes (`${HOME}` is not one) become lines of their own, so each
        // form reads as `if`, `{`, `to`, `}`.
        var lines: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var current = ""
            var quoted = false
            for character in line {
                if character == "\"" { quoted.toggle() }
                if !quoted, character == "{" || character == "}" {
                    if !current.trimmingCharacters(in: .whitespaces).isEmpty { lines.append(current.trimmingCharacters(in: .whitespaces)) }
                    lines.append(String(character))
                    current = ""
                } else {
                    current.append(character)
                }
            }
            if !current.trimmingCharacters(in: .whitespaces).isEmpty { lines.append(current.trimmingCharacters(in: .whitespaces)) }
        }
        var rules: [SieveFileInto] = []
        var index = 0
        while index < lines.count {
            if let pattern = condition(lines[index]) {
                guard index + 3 < lines.count, lines[index + 1] == "{", lines[index + 3] == "}",
                      let folder = destination(lines[index + 2]), let test = SieveFileInto.condition(pattern: pattern) else { return nil }
                rules.append(SieveFileInto(header: test.header, test: test.test, folder: folder))
                index += 4
            } else if let folder = destination(lines[index]), index == lines.count - 1 {
                rules.append(SieveFileInto(header: nil, test: nil, folder: folder))
                index += 1
            } else {
                return nil
            }
        }
        return rules
    }

    /// The pattern of `if (/pattern/)`, without flags or an escaped slash in it.
    static func condition(_ line: String) -> String? {
        guard line.hasPrefix("if"), line.hasSuffix(")") else { return nil }
        let inner = line.dropFirst(2).drop(while: { $0 == " " || $0 == "\t" })
        guard inner.hasPrefix("(/"), inner.hasSuffix("/)") else { return nil }
        let pattern = inner.dropFirst(2).dropLast(2)
        guard !pattern.isEmpty, !pattern.contains("/") else { return nil }
        return String(pattern)
    }

    /// The folder of `to "$HOME/Maildir/.Folder/"` (or `${HOME}`, quotes optional).
    static func destination(_ line: String) -> String? {
        guard line.hasPrefix("to "), !line.contains("|"), !line.contains("!") else { return nil }
        var path = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
        if path.count >= 2, path.hasPrefix("\""), path.hasSuffix("\"") { path = String(path.dropFirst().dropLast()) }
        for home in ["$HOME/Maildir/", "${HOME}/Maildir/"] where path.hasPrefix(home) {
            return SieveFileInto.folder(maildirRelative: String(path.dropFirst(home.count)))
        }
        return nil
    }
}
