import MailModel

/// A cursor over the bytes of one complete response (or the part of a FETCH response that
/// has arrived), with the nesting depth of the parenthesized list being parsed.
///
/// Grammar parsing never waits for bytes: the framing layer hands over whole lines, so
/// running off the end is invalid input, except for the one case named by
/// ``GrammarFailure/pendingLiteral(length:)``.
struct ParseBuffer {
    var bytes: [UInt8]
    var index: Int
    private(set) var depth = 0
    let depthLimit: Int

    init(_ bytes: [UInt8], depthLimit: Int = IMAPDefaults.nestingDepthLimit) {
        self.bytes = bytes
        self.index = 0
        self.depthLimit = depthLimit
    }

    var isAtEnd: Bool { index >= bytes.count }
    var remaining: Int { bytes.count - index }

    func peek(offset: Int = 0) -> UInt8? {
        let position = index + offset
        return position < bytes.count ? bytes[position] : nil
    }

    func failure(_ rule: String) -> GrammarFailure {
        .invalid(IMAPParseError(.unexpected(rule: rule), offset: index))
    }

    func failure(_ kind: IMAPParseError.Kind) -> GrammarFailure {
        .invalid(IMAPParseError(kind, offset: index))
    }

    mutating func readByte(rule: String) throws(GrammarFailure) -> UInt8 {
        guard index < bytes.count else { throw failure(rule) }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func expect(_ byte: UInt8, rule: String) throws(GrammarFailure) {
        guard peek() == byte else { throw failure(rule) }
        index += 1
    }

    /// SP = %x20
    mutating func expectSpace() throws(GrammarFailure) { try expect(UInt8(ascii: " "), rule: "SP") }

    /// Consumes `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// Consumes `keyword` (ASCII, compared case-insensitively) if it is next and is not the
    /// prefix of a longer atom.
    mutating func skipKeyword(_ keyword: String) -> Bool {
        let start = index
        for expected in keyword.utf8 {
            guard let byte = peek(), ParseBuffer.uppercased(byte) == expected else {
                index = start
                return false
            }
            index += 1
        }
        if let next = peek(), ParseBuffer.isAtomChar(next) {
            index = start
            return false
        }
        return true
    }

    mutating func expectKeyword(_ keyword: String) throws(GrammarFailure) {
        guard skipKeyword(keyword) else { throw failure(keyword) }
    }

    /// Enters a parenthesized list; fails past the nesting limit.
    mutating func enterList() throws(GrammarFailure) {
        depth += 1
        if depth > depthLimit { throw failure(.nestingTooDeep(limit: depthLimit)) }
    }

    mutating func leaveList() { depth -= 1 }

    static func uppercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
    }

    /// An ATOM-CHAR as read: 8-bit bytes accepted (see ``AtomChar``).
    static func isAtomChar(_ byte: UInt8) -> Bool {
        AtomChar.contains(byte, eightBit: true)
    }
}
