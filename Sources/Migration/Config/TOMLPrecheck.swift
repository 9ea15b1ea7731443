/// What every config text passes before TOMLKit sees it. TOMLKit's toml++ asserts (aborts
/// the process) on a table header whose name starts with a non-ASCII character, such as
/// `[é]` or a `[` followed by bytes that are not UTF-8; TOML's bare keys are ASCII, so such
/// a header is an error in the file either way, and it is reported as one here.
enum TOMLPrecheck {
    static func check(_ text: String, origin: String) throws(ConfigError) {
        for (number, line) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            let trimmed = line.drop(while: isBlank)
            guard trimmed.first == UInt8(ascii: "[") else { continue }
            let name = trimmed.drop(while: { $0 == UInt8(ascii: "[") || isBlank($0) })
            if let first = name.first, first >= 0x80 {
                throw ConfigError("\(origin):\(number + 1): a table name must start with an ASCII letter, digit, '_', '-' or a quote")
            }
        }
    }
}
