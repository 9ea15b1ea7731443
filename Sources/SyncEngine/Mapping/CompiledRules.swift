/// ``MappingRules`` with their regular expressions compiled once per plan.
struct CompiledRules {
    struct Pattern {
        var text: String
        var regex: Regex<AnyRegexOutput>
        var template: String

        /// The destination name for `source` if the whole name matches, with `$0`…`$9` replaced.
        func apply(to source: String) -> String? {
            guard let match = try? regex.wholeMatch(in: source) else { return nil }
            var result = ""
            var index = template.startIndex
            while index < template.endIndex {
                let character = template[index]
                let next = template.index(after: index)
                if character == "$", next < template.endIndex, let group = template[next].wholeNumberValue {
                    if group < match.output.count, let substring = match.output[group].substring {
                        result += substring
                    }
                    index = template.index(after: next)
                } else {
                    result.append(character)
                    index = next
                }
            }
            return result
        }
    }

    /// Keyed by the source name's bytes: a `String` key would let a rule for `Entwürfe` (NFC)
    /// also rename the NFD spelling, another folder on the server, onto the same target.
    var renames: [[UInt8]: String] = [:]
    var patterns: [Pattern] = []
    var include: [(String, Regex<AnyRegexOutput>)] = []
    var exclude: [(String, Regex<AnyRegexOutput>)] = []

    /// Compile `pattern` to match Unicode scalar by scalar: at the default (grapheme cluster)
    /// level a Swift regex treats canonically equivalent spellings as equal, so one written
    /// with NFC `ü` would also match the NFD folder, a different name on the server.
    static func regex(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        try Regex(pattern).matchingSemantics(.unicodeScalar)
    }

    /// The target of an exact rename rule for `source`, if any.
    func rename(of source: String) -> String? { renames[Array(source.utf8)] }

    /// Why a source folder is filtered out, or `nil` if it is copied.
    func filterReason(_ name: String) -> String? {
        if !include.isEmpty, !include.contains(where: { (try? $0.1.wholeMatch(in: name)) != nil }) {
            return "not matched by --include"
        }
        if let rule = exclude.first(where: { (try? $0.1.wholeMatch(in: name)) != nil }) {
            return "excluded by --exclude \(rule.0)"
        }
        return nil
    }
}
