/// The scan behind ``TOMLPrecheck``. It follows only what decides whether a `[` opens a
/// table header and whether a `}` stands at an array's value position: strings and comments
/// are skipped (brackets inside them are text), a `[` at the start of a line outside any value
/// opens a header, other `[` and `{` open an array or an inline table. Text it cannot follow,
/// such as an unterminated string, ends the scan; TOMLKit then reports that text's own error.
struct TOMLPrecheckScanner {
    enum Open { case array, inlineTable }

    struct Problem: Equatable {
        var line: Int
        var message: String
    }

    static let headerName = "a table name must start with an ASCII letter, digit, '_', '-' or a quote"
    static let braceInArray = "an array holds a '}' where a value belongs (an inline table's '}' without its '{'?)"

    let bytes: [UInt8]
    var index = 0
    var line = 1
    var open: [Open] = []
    /// At the start of a line with no array or inline table open: a `[` here is a header.
    var atLineStart = true
    /// Just after an array's `[` or one of its commas: the next token must be a value.
    var expectsArrayValue = false

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // toml++ skips a UTF-8 byte order mark; the first line's header is then its first text.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// The first shape toml++ would abort on, or nil.
    mutating func firstProblem() -> Problem? {
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
                continue
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                if open.isEmpty { atLineStart = true }
                continue
            case UInt8(ascii: "#"):
                skipToLineEnd()
                continue
            default:
                break
            }
            // Any other byte is a token: it ends the line's start and an array's value position,
            // unless it opens an array or is an array's comma.
            let startsLine = atLineStart, wantsValue = expectsArrayValue
            atLineStart = false
            expectsArrayValue = false
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard skipString(quote: byte) else { return nil }
            case UInt8(ascii: "["):
                if open.isEmpty && startsLine {
                    guard headerNameIsSafe() else { return Problem(line: line, message: Self.headerName) }
                    guard skipHeader() else { return nil }
                } else {
                    open.append(.array)
                    expectsArrayValue = true
                    index += 1
                }
            case UInt8(ascii: "{"):
                open.append(.inlineTable)
                index += 1
            case UInt8(ascii: "}"):
                if open.last == .array {
                    // `[1 }` (not at a value position): toml++ reports that one itself, and the
                    // scan cannot follow the text further.
                    return wantsValue ? Problem(line: line, message: Self.braceInArray) : nil
                }
                if open.last == .inlineTable { open.removeLast() }
                index += 1
            case UInt8(ascii: "]"):
                if open.last == .array { open.removeLast() }
                index += 1
            case UInt8(ascii: ","):
                expectsArrayValue = open.last == .array
                index += 1
            default:
                index += 1
            }
        }
        return nil
    }

    /// After a header's `[` or `[[` and blanks, the name's first byte is one toml++ expects.
    func headerNameIsSafe() -> Bool {
        var at = index + 1
        if at < bytes.count, bytes[at] == UInt8(ascii: "[") { at += 1 }
        while at < bytes.count, bytes[at] == UInt8(ascii: " ") || bytes[at] == UInt8(ascii: "\t") { at += 1 }
        return at < bytes.count && Self.startsAName(bytes[at])
    }

    mutating func skipToLineEnd() {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
    }

    /// Skips a table header (`[a."b]"]`, `[[a]]`) to the end of its line.
    mutating func skipHeader() -> Bool {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
            if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                guard skipString(quote: bytes[index]) else { return false }
            } else if bytes[index] == UInt8(ascii: "#") {
                skipToLineEnd()
            } else {
                index += 1
            }
        }
        return true
    }

    /// Skips a basic (`"`) or literal (`'`) string, one-line or multi-line (tripled quote);
    /// false when it does not end where TOML says it must.
    mutating func skipString(quote: UInt8) -> Bool {
        let escapes = quote == UInt8(ascii: "\"")
        if index + 2 < bytes.count, bytes[index + 1] == quote, bytes[index + 2] == quote {
            index += 3
            while index < bytes.count {
                if escapes && bytes[index] == UInt8(ascii: "\\") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { line += 1 }
                    index += 2
                    continue
                }
                if bytes[index] == UInt8(ascii: "\n") { line += 1 }
                if index + 2 < bytes.count, bytes[index] == quote, bytes[index + 1] == quote, bytes[index + 2] == quote {
                    index += 3
                    // Up to two more quotes belong to the content (`"""a""""`).
                    var extra = 0
                    while extra < 2, index < bytes.count, bytes[index] == quote { index += 1; extra += 1 }
                    return true
                }
                index += 1
            }
            return false
        }
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
            if escapes && bytes[index] == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "\n") else { return false }
                index += 2
                continue
            }
            if bytes[index] == quote {
                index += 1
                return true
            }
            index += 1
        }
        return false
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
