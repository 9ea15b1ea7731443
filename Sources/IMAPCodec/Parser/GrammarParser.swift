import MailModel

/// Parsers for the grammar of RFC 3501 (with RFC 9051's UTF-8 additions) over one complete
/// response. One function per ABNF rule, the rule quoted above it. Split by area into
/// `GrammarParser+*.swift`; this file holds the primitives.
enum GrammarParser {
    // number = 1*DIGIT   ; unsigned 32-bit integer
    static func parseNumber(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> UInt32 {
        let value = try parseNumber64(&buffer)
        guard value <= UInt64(UInt32.max) else { throw buffer.failure(.outOfRange(rule: "number")) }
        return UInt32(value)
    }

    // nz-number = digit-nz *DIGIT
    static func parseNZNumber(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> UInt32 {
        let start = buffer.index
        let value = try parseNumber(&buffer)
        guard value != 0 else {
            buffer.index = start
            throw buffer.failure(.outOfRange(rule: "nz-number"))
        }
        return value
    }

    // mod-sequence-value = 1*DIGIT   ; 63-bit (RFC 7162); also number64 (RFC 9051)
    static func parseNumber64(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> UInt64 {
        var value: UInt64 = 0
        var digits = 0
        while let byte = buffer.peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw buffer.failure(.outOfRange(rule: "number")) }
            value = sum
            digits += 1
            buffer.index += 1
        }
        guard digits > 0 else { throw buffer.failure("number") }
        return value
    }

    static func parseUID(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> UID {
        UID(exactly: try parseNZNumber(&buffer))
    }

    static func parseSequenceNumber(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> SequenceNumber {
        SequenceNumber(try parseNZNumber(&buffer))!
    }

    // atom = 1*ATOM-CHAR
    static func parseAtom(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> String {
        let start = buffer.index
        while let byte = buffer.peek(), ParseBuffer.isAtomChar(byte) { buffer.index += 1 }
        guard buffer.index > start else { throw buffer.failure("atom") }
        return String(decoding: buffer.bytes[start..<buffer.index], as: UTF8.self)
    }

    // ASTRING-CHAR = ATOM-CHAR / resp-specials; the atom form of astring.
    static func parseAStringAtom(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [UInt8] {
        let start = buffer.index
        while let byte = buffer.peek(), ParseBuffer.isAtomChar(byte) || byte == UInt8(ascii: "]") { buffer.index += 1 }
        guard buffer.index > start else { throw buffer.failure("astring") }
        return Array(buffer.bytes[start..<buffer.index])
    }

    // quoted = DQUOTE *QUOTED-CHAR DQUOTE
    // QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials / UTF8-2 / UTF8-3 / UTF8-4
    static func parseQuoted(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [UInt8] {
        try buffer.expect(UInt8(ascii: "\""), rule: "quoted")
        var result: [UInt8] = []
        while true {
            let byte = try buffer.readByte(rule: "DQUOTE")
            switch byte {
            case UInt8(ascii: "\""):
                return result
            case UInt8(ascii: "\\"):
                let escaped = try buffer.readByte(rule: "quoted-specials")
                guard escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") else {
                    buffer.index -= 1
                    throw buffer.failure("quoted-specials")
                }
                result.append(escaped)
            case 0:
                buffer.index -= 1
                throw buffer.failure(.nulByte)
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                buffer.index -= 1
                throw buffer.failure("QUOTED-CHAR")
            default:
                result.append(byte)
            }
        }
    }

    // literal = "{" number64 ["+"] "}" CRLF *CHAR8    ; CHAR8 = %x01-ff
    // literal8 = "~{" number64 "}" CRLF *OCTET         ; RFC 3516, may hold NUL
    static func parseLiteral(_ buffer: inout ParseBuffer, allowBinary: Bool = false) throws(GrammarFailure) -> [UInt8] {
        let (length, binary) = try parseLiteralHeader(&buffer, allowBinary: allowBinary)
        guard UInt64(buffer.remaining) >= length else {
            guard buffer.isAtEnd else { throw buffer.failure("literal data") }
            throw GrammarFailure.pendingLiteral(length: length)
        }
        let start = buffer.index
        buffer.index += Int(length)
        let data = Array(buffer.bytes[start..<buffer.index])
        if !binary, let nul = data.firstIndex(of: 0) {
            buffer.index = start + nul
            throw buffer.failure(.nulByte)
        }
        return data
    }

    /// The `{n}` CRLF part of `literal` / `literal8`.
    static func parseLiteralHeader(_ buffer: inout ParseBuffer, allowBinary: Bool) throws(GrammarFailure) -> (UInt64, Bool) {
        let binary = allowBinary && buffer.skip(UInt8(ascii: "~"))
        try buffer.expect(UInt8(ascii: "{"), rule: "literal")
        let length = try parseNumber64(&buffer)
        _ = buffer.skip(UInt8(ascii: "+"))
        try buffer.expect(UInt8(ascii: "}"), rule: "literal")
        _ = buffer.skip(UInt8(ascii: "\r"))
        try buffer.expect(UInt8(ascii: "\n"), rule: "CRLF")
        return (length, binary)
    }

    // string = quoted / literal
    static func parseString(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [UInt8] {
        buffer.peek() == UInt8(ascii: "\"") ? try parseQuoted(&buffer) : try parseLiteral(&buffer)
    }

    // astring = 1*ASTRING-CHAR / string
    static func parseAString(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [UInt8] {
        switch buffer.peek() {
        case UInt8(ascii: "\""), UInt8(ascii: "{"): return try parseString(&buffer)
        default: return try parseAStringAtom(&buffer)
        }
    }

    // nil = "NIL"
    static func parseNil(_ buffer: inout ParseBuffer) -> Bool { buffer.skipKeyword("NIL") }

    // nstring = string / nil
    static func parseNString(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [UInt8]? {
        if parseNil(&buffer) { return nil }
        return try parseString(&buffer)
    }

    // text = 1*TEXT-CHAR   ; TEXT-CHAR = <any CHAR except CR and LF>, UTF-8 allowed (RFC 9051)
    // Reads to the end of the response; invalid UTF-8 is replaced, NUL is refused.
    static func parseText(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> String {
        let slice = buffer.bytes[buffer.index...]
        if let nul = slice.firstIndex(of: 0) {
            buffer.index = nul
            throw buffer.failure(.nulByte)
        }
        buffer.index = buffer.bytes.count
        return String(decoding: slice, as: UTF8.self)
    }

    // flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword / flag-extension
    // flag-extension = "\" atom ; flag-keyword = atom ; flag-fetch adds "\Recent", flag-perm adds "\*"
    static func parseFlag(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> Flag {
        if buffer.skip(UInt8(ascii: "\\")) {
            if buffer.skip(UInt8(ascii: "*")) { return Flag("\\*") }
            return Flag("\\" + (try parseAtom(&buffer)))
        }
        return Flag(try parseAtom(&buffer))
    }

    // flag-list = "(" [flag *(SP flag)] ")"
    static func parseFlagList(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [Flag] {
        try parseList(&buffer) { (buffer: inout ParseBuffer) throws(GrammarFailure) in try parseFlag(&buffer) }
    }

    /// `"(" [item *(SP item)] ")"`, tolerating extra spaces that some servers emit.
    static func parseList<T>(
        _ buffer: inout ParseBuffer, _ item: (inout ParseBuffer) throws(GrammarFailure) -> T
    ) throws(GrammarFailure) -> [T] {
        try buffer.expect(UInt8(ascii: "("), rule: "(")
        try buffer.enterList()
        defer { buffer.leaveList() }
        var result: [T] = []
        while true {
            while buffer.skip(UInt8(ascii: " ")) {}
            if buffer.skip(UInt8(ascii: ")")) { return result }
            // Items are separated by SP, except that body parts of a multipart BODYSTRUCTURE
            // follow each other directly: `body-type-mpart = 1*body SP media-subtype`.
            if !result.isEmpty, let previous = buffer.peek(offset: -1), previous != UInt8(ascii: " "), previous != UInt8(ascii: ")") {
                throw buffer.failure("SP")
            }
            result.append(try item(&buffer))
        }
    }

    // uid-set = (uniqueid / uid-range) *("," uid-set); uid-range = (uniqueid ":" uniqueid)
    // sequence-set additionally allows "*" (seq-number = nz-number / "*")
    static func parseUIDSet(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> UIDSet {
        func bound(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> UInt32 {
            buffer.skip(UInt8(ascii: "*")) ? UInt32.max : try parseNZNumber(&buffer)
        }
        var set = UIDSet()
        repeat {
            let first = try bound(&buffer)
            let second = buffer.skip(UInt8(ascii: ":")) ? try bound(&buffer) : first
            set.insert(min(first, second)...max(first, second))
        } while buffer.skip(UInt8(ascii: ","))
        return set
    }

    // date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
    // date-day-fixed = (SP DIGIT) / 2DIGIT ; time = 2DIGIT ":" 2DIGIT ":" 2DIGIT ; zone = ("+" / "-") 4DIGIT
    // The fixed layout is read straight from the bytes; anything else (a one-digit day
    // without its space, say) goes through InternalDate's lenient parser.
    static func parseDateTime(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> InternalDate {
        let start = buffer.index
        let text = try parseQuoted(&buffer)
        if let date = fixedDateTime(text) ?? InternalDate(imapString: String(decoding: text, as: UTF8.self)) {
            return date
        }
        buffer.index = start
        throw buffer.failure("date-time")
    }

    private static let monthNames: [UInt32] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"].map { name in
        name.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// ` 7-Feb-1994 21:52:25 -0800` or `07-Feb-1994 ...`: exactly 26 bytes.
    static func fixedDateTime(_ text: [UInt8]) -> InternalDate? {
        guard text.count == 26, text[2] == UInt8(ascii: "-"), text[6] == UInt8(ascii: "-"), text[11] == UInt8(ascii: " "),
            text[14] == UInt8(ascii: ":"), text[17] == UInt8(ascii: ":"), text[20] == UInt8(ascii: " ")
        else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = text[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        let month = text[3...5].reduce(UInt32(0)) { $0 << 8 | UInt32(ParseBuffer.uppercased($1)) }
        guard let monthIndex = monthNames.firstIndex(of: month),
            let day = text[0] == UInt8(ascii: " ") ? digits(1..<2) : digits(0..<2),
            let year = digits(7..<11), let hour = digits(12..<14), let minute = digits(15..<17), let second = digits(18..<20),
            let zone = digits(22..<26), text[21] == UInt8(ascii: "+") || text[21] == UInt8(ascii: "-"),
            (1...31).contains(day), hour < 24, minute < 60, second < 61, zone % 100 < 60
        else { return nil }
        let offset = (zone / 100 * 60 + zone % 100) * (text[21] == UInt8(ascii: "-") ? -1 : 1)
        // Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's days_from_civil).
        let y = monthIndex < 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((monthIndex + 10) % 12) + 2) / 5 + day - 1
        let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return InternalDate(secondsSince1970: local - Int64(offset * 60), zoneOffsetMinutes: offset)
    }

    /// Skips any value: `nil / number / atom / string / "(" [value *(SP value)] ")"`, with
    /// the nesting limit. Used for data this codec does not model (ENVELOPE, BODYSTRUCTURE).
    static func skipValue(_ buffer: inout ParseBuffer) throws(GrammarFailure) {
        switch buffer.peek() {
        case UInt8(ascii: "("):
            _ = try parseList(&buffer) { (buffer: inout ParseBuffer) throws(GrammarFailure) in try skipValue(&buffer) }
        case UInt8(ascii: "\""), UInt8(ascii: "{"):
            _ = try parseString(&buffer)
        case UInt8(ascii: "~"):
            _ = try parseLiteral(&buffer, allowBinary: true)
        case UInt8(ascii: "\\"):
            _ = try parseFlag(&buffer)
        default:
            _ = try parseAStringAtom(&buffer)
        }
    }
}
