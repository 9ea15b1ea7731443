import Foundation

extension PostfixInstance {
    /// `postconf -h -x NAME`: the effective value with `$parameter`s expanded, as Postfix
    /// itself reads it (`$myhostname, localhost` becomes `mx.example.com, localhost`).
    public func expandedValue(_ name: String) throws -> String {
        try postconf(["-h", "-x", name]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `postmap -s MAP`: every key and value of an indexed map (hash, lmdb, btree, cdb).
    /// Lookup tables that cannot be listed (regexp, pcre, ldap, mysql, proxy) throw.
    public func entries(of map: String) throws -> [(key: String, value: String)] {
        let output = try ProcessRunner.run(postmapPath, ["-c", configDirectory, "-s", map])
        guard output.status == 0 else { throw PostfixError("postmap -s \(map) failed: \(Self.firstLine(output))") }
        return Self.parseEntries(output.standardOutput)
    }

    /// `postmap -s`'s output: one `key value` line per entry.
    public static func parseEntries(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: "\n").compactMap { line in
            guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
            return (String(line[..<space]), line[space...].trimmingCharacters(in: .whitespaces))
        }
    }
}
