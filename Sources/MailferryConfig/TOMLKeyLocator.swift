/// Finds the line of a setting in a TOML text, so that an unknown or misspelt key is named
/// with its line (TOMLKit reports positions for syntax errors only). Tables and arrays of
/// tables are followed by their headers; array indices are not told apart.
enum TOMLKeyLocator {
    /// The 1-based line of `path` (`["listen", "prot"]`), or nil when it is not found.
    static func line(of path: [String], in text: String) -> Int? {
        guard let key = path.last else { return nil }
        let table = path.dropLast().joined(separator: ".")
        var current = ""
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            if line.hasPrefix("[") {
                let name = line.drop(while: { $0 == "[" }).prefix(while: { $0 != "]" }).filter { $0 != " " && $0 != "\"" }
                if String(name) == (table.isEmpty ? key : table + "." + key) { return index + 1 }
                current = String(name)
                continue
            }
            guard current == table else { continue }
            let name = line.prefix(while: { $0 != "=" }).filter { $0 != " " && $0 != "\t" && $0 != "\"" }
            if line.contains("="), name == key { return index + 1 }
        }
        return nil
    }

    /// "(line N)" for messages, or nothing when the key was not found.
    static func suffix(_ path: [String], in text: String) -> String {
        line(of: path, in: text).map { " (line \($0))" } ?? ""
    }
}
