import Foundation

/// A `~/.procmailrc` read for the simple recipes only: `:0` (or `:0:`, whose lock changes
/// nothing for a Maildir) with one `* ^Header:regex` condition, delivering into a folder of
/// the user's Maildir (`$HOME/Maildir/.Folder/`, or `.Folder/` and `$MAILDIR/.Folder/` when
/// the file sets `MAILDIR=$HOME/Maildir`; the trailing slash is what makes procmail write a
/// Maildir). Comments, blank lines and that MAILDIR (or DEFAULT into the Maildir) are
/// skipped; any other flag, condition, action or assignment makes the file one for a person.
enum ProcmailRecipes {
    /// The Sieve script that does what `text` does, or nil when it is not only simple recipes.
    static func sieve(_ text: String) -> String? {
        guard let rules = rules(text), !rules.isEmpty else { return nil }
        return SieveFileInto.script(rules)
    }

    static let maildirValues: Set<String> = ["$HOME/Maildir", "$HOME/Maildir/", "${HOME}/Maildir", "${HOME}/Maildir/"]
    static let defaultValues: Set<String> = maildirValues.union(["$MAILDIR", "$MAILDIR/", "${MAILDIR}", "${MAILDIR}/"])

    static func rules(_ text: String) -> [SieveFileInto]? {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        var maildirSet = false
        var rules: [SieveFileInto] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if let value = assignment(line, "MAILDIR") {
                guard rules.isEmpty, maildirValues.contains(value) else { return nil }
                maildirSet = true
                index += 1
            } else if let value = assignment(line, "DEFAULT") {
                guard defaultValues.contains(value), maildirSet || maildirValues.contains(value) else { return nil }
                index += 1
            } else if line == ":0" || line == ":0:" {
                guard index + 2 < lines.count, lines[index + 1].hasPrefix("*"),
                      let test = SieveFileInto.condition(pattern: lines[index + 1].dropFirst().trimmingCharacters(in: .whitespaces)),
                      let folder = destination(lines[index + 2], maildirSet: maildirSet) else { return nil }
                rules.append(SieveFileInto(header: test.header, test: test.test, folder: folder))
                index += 3
            } else {
                return nil
            }
        }
        return rules
    }

    /// The value of `NAME=value` (quotes removed), or nil for another line.
    static func assignment(_ line: String, _ name: String) -> String? {
        guard line.hasPrefix(name + "=") else { return nil }
        var value = String(line.dropFirst(name.count + 1))
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        return value
    }

    /// The folder of a recipe's action line: a Maildir++ folder of the user's Maildir.
    static func destination(_ line: String, maildirSet: Bool) -> String? {
        guard line.hasSuffix("/"), !line.hasPrefix("|"), !line.hasPrefix("!"), !line.hasPrefix("{") else { return nil }
        var prefixes = ["$HOME/Maildir/", "${HOME}/Maildir/"]
        if maildirSet { prefixes += ["$MAILDIR/", "${MAILDIR}/", ""] }
        for prefix in prefixes where line.hasPrefix(prefix) {
            let rest = String(line.dropFirst(prefix.count))
            if rest.hasPrefix(".") { return SieveFileInto.folder(maildirRelative: rest) }
        }
        return nil
    }
}
