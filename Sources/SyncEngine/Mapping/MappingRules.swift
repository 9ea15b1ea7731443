/// The user's folder rules: renames (exact or regular expression) and include/exclude
/// filters. Names are written decoded (UTF-8), source names as the source lists them
/// (`INBOX.Old Stuff`) and destination names with the destination's separator (`Archive/Old`).
public struct MappingRules: Sendable, Hashable {
    /// `SOURCE=DESTINATION` pairs; `\=` stands for a literal `=` in a name.
    public var renames: [String]
    /// `REGEX=TEMPLATE` pairs applied to source names; `$1`…`$9` in the template refer to groups.
    public var patterns: [String]
    /// Only source folders matching one of these regular expressions are copied (all when empty).
    public var include: [String]
    /// Source folders matching one of these regular expressions are not copied.
    public var exclude: [String]

    public init(renames: [String] = [], patterns: [String] = [], include: [String] = [], exclude: [String] = []) {
        self.renames = renames
        self.patterns = patterns
        self.include = include
        self.exclude = exclude
    }

    /// Split `LEFT=RIGHT` at the first `=` that is not escaped as `\=`.
    static func split(_ rule: String) -> (String, String)? {
        var left = ""
        var index = rule.startIndex
        while index < rule.endIndex {
            let character = rule[index]
            let next = rule.index(after: index)
            if character == "\\", next < rule.endIndex, rule[next] == "=" {
                left.append("=")
                index = rule.index(after: next)
                continue
            }
            if character == "=" {
                let right = String(rule[next...]).replacing("\\=", with: "=")
                guard !left.isEmpty, !right.isEmpty else { return nil }
                return (left, right)
            }
            left.append(character)
            index = next
        }
        return nil
    }
}
