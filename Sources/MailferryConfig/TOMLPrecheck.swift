/// What every config text passes before TOMLKit sees it. TOMLKit's toml++ asserts (aborts
/// the process) on a table header whose name starts with anything but a bare-key character
/// or a quote, such as `[é]`, a control character, or a `[` followed by bytes that are not
/// UTF-8; such a header is an error in the file either way, and it is reported as one here.
/// A line inside an array that starts with `[` passes when it starts as a value does (digit,
/// letter, quote); one that is only `[` (a nested array's opening) is refused too, as a
/// header it would abort the parser, and mailferry's configs have no nested arrays.
enum TOMLPrecheck {
    static func check(_ text: String, origin: String) throws(ConfigError) {
        for (number, line) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            let trimmed = line.drop(while: isBlank)
            guard trimmed.first == UInt8(ascii: "[") else { continue }
            // `[` or `[[`, then blanks, then the name.
            var header = trimmed.dropFirst()
            if header.first == UInt8(ascii: "[") { header = header.dropFirst() }
            let name = header.drop(while: isBlank)
            if !(name.first.map(Self.startsAName) ?? false) {
                throw ConfigError("\(origin):\(number + 1): a table name must start with an ASCII letter, digit, '_', '-' or a quote")
            }
        }
    }

    /// TOML's bare-key characters (A-Z a-z 0-9 _ -) and the two quotes.
    static func startsAName(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        default:
            return false
        }
    }
}
