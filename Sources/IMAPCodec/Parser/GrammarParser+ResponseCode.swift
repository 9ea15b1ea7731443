import MailModel

extension GrammarParser {
    private static let simpleCodes: [String: ResponseCode] = [
        "ALERT": .alert, "PARSE": .parse, "READ-ONLY": .readOnly, "READ-WRITE": .readWrite,
        "TRYCREATE": .tryCreate, "UIDNOTSTICKY": .uidNotSticky, "NOMODSEQ": .noModSeq, "CLOSED": .closed,
        "OVERQUOTA": .overQuota, "LIMIT": .limit, "ALREADYEXISTS": .alreadyExists, "NONEXISTENT": .nonExistent,
        "AUTHENTICATIONFAILED": .authenticationFailed, "AUTHORIZATIONFAILED": .authorizationFailed,
        "UNAVAILABLE": .unavailable, "INUSE": .inUse,
    ]

    // resp-text-code = "ALERT" / "BADCHARSET" [SP "(" charset *(SP charset) ")" ] / capability-data /
    //     "PARSE" / "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" / "READ-ONLY" /
    //     "READ-WRITE" / "TRYCREATE" / "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number /
    //     "UNSEEN" SP nz-number / resp-code-apnd / resp-code-copy / "UIDNOTSTICKY" /
    //     "HIGHESTMODSEQ" SP mod-sequence-value / "NOMODSEQ" / "MODIFIED" SP sequence-set /
    //     atom [SP 1*<any TEXT-CHAR except "]">]
    // resp-code-apnd = "APPENDUID" SP nz-number SP append-uid   ; append-uid = uniqueid / uid-set
    // resp-code-copy = "COPYUID" SP nz-number SP uid-set SP uid-set
    static func parseResponseCode(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> ResponseCode {
        let name = try parseAtom(&buffer).uppercased()
        if let simple = simpleCodes[name] {
            skipCodeText(&buffer)
            return simple
        }
        switch name {
        case "BADCHARSET":
            guard buffer.skip(UInt8(ascii: " ")) else { return .badCharset([]) }
            let charsets = try parseList(&buffer) { (buffer: inout ParseBuffer) throws(GrammarFailure) in
                String(decoding: try parseAString(&buffer), as: UTF8.self)
            }
            return .badCharset(charsets)
        case "CAPABILITY":
            return .capability(try parseCapabilities(&buffer))
        case "PERMANENTFLAGS":
            try buffer.expectSpace()
            let flags = try parseFlagList(&buffer)
            let wildcard = Flag("\\*")
            return .permanentFlags(flags.filter { $0 != wildcard }, allowsNewKeywords: flags.contains(wildcard))
        case "UIDNEXT":
            try buffer.expectSpace()
            return .uidNext(try parseUID(&buffer))
        case "UIDVALIDITY":
            try buffer.expectSpace()
            return .uidValidity(UIDValidity(try parseNZNumber(&buffer)))
        case "UNSEEN":
            try buffer.expectSpace()
            return .unseen(try parseSequenceNumber(&buffer))
        case "HIGHESTMODSEQ":
            try buffer.expectSpace()
            return .highestModSeq(ModSeq(try parseNumber64(&buffer)))
        case "APPENDUID":
            try buffer.expectSpace()
            let validity = UIDValidity(try parseNZNumber(&buffer))
            try buffer.expectSpace()
            return .appendUID(validity, try parseUIDSet(&buffer))
        case "COPYUID":
            try buffer.expectSpace()
            let validity = UIDValidity(try parseNZNumber(&buffer))
            try buffer.expectSpace()
            let source = try parseUIDSet(&buffer)
            try buffer.expectSpace()
            return .copyUID(validity, source: source, destination: try parseUIDSet(&buffer))
        case "MODIFIED":
            try buffer.expectSpace()
            return .modified(try parseUIDSet(&buffer))
        default:
            return .other(name, skipCodeText(&buffer))
        }
    }

    /// `[SP 1*<any TEXT-CHAR except "]">]`; returns the text if there was any.
    @discardableResult
    private static func skipCodeText(_ buffer: inout ParseBuffer) -> String? {
        guard buffer.peek() == UInt8(ascii: " ") else { return nil }
        buffer.index += 1
        let start = buffer.index
        while let byte = buffer.peek(), byte != UInt8(ascii: "]"), byte != 0 { buffer.index += 1 }
        return String(decoding: buffer.bytes[start..<buffer.index], as: UTF8.self)
    }
}
