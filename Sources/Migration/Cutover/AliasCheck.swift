import Foundation

/// Aliases that cannot travel: held mail leaves the old server before local(8) expands
/// /etc/aliases, and a pipe (`|command`), file (`/path`) or `:include:` target cannot run on
/// the new server. Each is a blocker until it stays local on the old host with its own
/// transport entry, or goes.
public enum AliasCheck {
    /// The aliases(5) entries of `text` with such a target: `name: target` lines (with
    /// continuation lines) whose targets include a pipe, a file or an `:include:`.
    public static func blockers(in text: String, file: String) -> [String] {
        var entries: [(line: Int, text: String)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if line.first == " " || line.first == "\t", !entries.isEmpty {
                entries[entries.count - 1].text += " " + line
            } else {
                entries.append((index + 1, line))
            }
        }
        var result: [String] = []
        for entry in entries {
            guard let colon = entry.text.firstIndex(of: ":") else { continue }
            let name = entry.text[..<colon].trimmingCharacters(in: .whitespaces)
            let targets = splitTargets(String(entry.text[entry.text.index(after: colon)...]))
            let bad = targets.filter { $0.hasPrefix("|") || $0.hasPrefix("/") || $0.lowercased().hasPrefix(":include:") }
            if !bad.isEmpty { result.append("\(file):\(entry.line): \(name) -> \(bad.joined(separator: ", "))") }
        }
        return result
    }

    /// Comma-separated targets; a double-quoted target keeps its commas.
    static func splitTargets(_ text: String) -> [String] {
        var targets: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle(); continue }
            if character == ",", !quoted {
                targets.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        targets.append(current.trimmingCharacters(in: .whitespaces))
        return targets.filter { !$0.isEmpty }
    }

    /// The files behind `alias_maps` (`hash:/etc/aliases` -> `/etc/aliases`); types without a
    /// source file (nis, ldap, proxy...) are returned in `unchecked`.
    public static func sourceFiles(aliasMaps: String) -> (files: [String], unchecked: [String]) {
        var files: [String] = []
        var unchecked: [String] = []
        for spec in aliasMaps.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init) where !spec.isEmpty {
            let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
            if parts.count == 2, ["hash", "btree", "lmdb", "cdb", "dbm", "texthash"].contains(parts[0]), parts[1].hasPrefix("/") {
                files.append(parts[1])
            } else {
                unchecked.append(spec)
            }
        }
        return (files, unchecked)
    }
}
