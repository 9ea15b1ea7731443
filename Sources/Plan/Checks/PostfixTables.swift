import Cutover
import PostfixControl

/// Lookups in one Postfix instance's tables with its own `postmap -q`, many keys per call
/// (`postmap -q -` reads them on standard input), each answer kept for the next question.
struct PostfixTables {
    let postfix: PostfixHost
    /// map -> key -> value (nil: asked, not found).
    private var cache: [String: [String: String?]] = [:]

    init(postfix: PostfixHost) {
        self.postfix = postfix
    }

    /// A Postfix table list (`hash:/etc/aliases, $alias_maps` once expanded) as the tables
    /// to ask: `proxy:` is dropped, because the table behind it is read directly (the plan
    /// runs as root, and a staged configuration has no proxymap of its own).
    static func maps(_ value: String) -> [String] {
        OldPostfixAddresses.list(value).filter { $0.contains(":") }.map { $0.hasPrefix("proxy:") ? String($0.dropFirst(6)) : $0 }
    }

    /// Tables matched against the whole address only (no `user`, `@domain` or extension
    /// forms): Postfix asks regular-expression tables the full address alone.
    static func isPattern(_ map: String) -> Bool {
        map.hasPrefix("regexp:") || map.hasPrefix("pcre:")
    }

    /// Asks `map` about every key it was not asked before, in one `postmap -q -` call.
    mutating func fetch(_ keys: [String], in map: String) async throws {
        var known = cache[map] ?? [:]
        let missing = Array(Set(keys.filter { known[$0] == nil && !$0.isEmpty && !$0.contains("\n") })).sorted()
        guard !missing.isEmpty else { return }
        let output = try await postfix.host.run(HostCommand(["\(postfix.commandDirectory)/postmap", "-c", postfix.configDirectory, "-q", "-", map],
                                                            input: Array((missing.joined(separator: "\n") + "\n").utf8)))
        // 0: some keys found, 1: none; anything else is a table postmap cannot read.
        guard output.status == 0 || output.status == 1 else { throw CutoverError.commandFailed(host: postfix.host.name, output: output) }
        for key in missing { known[key] = .some(nil) }
        for line in output.standardOutput.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            known[String(line[..<tab])] = .some(String(line[line.index(after: tab)...]))
        }
        cache[map] = known
    }

    /// The first of `keys` (in order of preference) found in any of `maps` (in order), with
    /// its value; pattern tables are asked only for `full`.
    mutating func find(_ keys: [String], in maps: [String], full: String) async throws -> (key: String, value: String)? {
        for map in maps {
            try await fetch(Self.isPattern(map) ? [full] : keys, in: map)
        }
        for key in keys {
            for map in maps where !Self.isPattern(map) || key == full {
                if let value = cache[map]?[key], let value { return (key, value) }
            }
        }
        return nil
    }
}
