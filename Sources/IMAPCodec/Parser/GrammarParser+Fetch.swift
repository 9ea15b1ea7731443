import MailModel

/// What one FETCH data item turned out to be.
enum FetchItemResult: Hashable {
    case attribute(FetchAttribute)
    /// A body literal starts; its bytes follow on the wire and are streamed.
    case streamingBegin(StreamingKind, byteCount: UInt64)
    /// A body whose bytes are already in the buffer (a quoted string, or a short literal).
    case inlineBody(StreamingKind, [UInt8])
}

extension GrammarParser {
    // message-data = nz-number SP "FETCH" SP msg-att ; here: "*" SP nz-number SP "FETCH" SP "("
    /// Recognises the start of a FETCH response; `nil` (nothing consumed) for anything else.
    static func parseFetchStart(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> SequenceNumber? {
        let start = buffer.index
        guard buffer.skip(UInt8(ascii: "*")), buffer.skip(UInt8(ascii: " ")),
            let first = buffer.peek(), first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9")
        else {
            buffer.index = start
            return nil
        }
        let number = try parseNumber(&buffer)
        guard buffer.skip(UInt8(ascii: " ")), buffer.skipKeyword("FETCH") else {
            buffer.index = start
            return nil
        }
        guard let sequence = SequenceNumber(number) else { throw buffer.failure(.outOfRange(rule: "nz-number")) }
        try buffer.expectSpace()
        try buffer.expect(UInt8(ascii: "("), rule: "msg-att")
        return sequence
    }

    // msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"
    // msg-att-static = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time /
    //     "RFC822" [".HEADER" / ".TEXT"] SP nstring / "RFC822.SIZE" SP number64 /
    //     "BODY" ["STRUCTURE"] SP body / "BODY" section ["<" number ">"] SP nstring /
    //     "BINARY" section-binary ["<" number ">"] SP (nstring / literal8) /
    //     "BINARY.SIZE" section-binary SP number / "UID" SP uniqueid
    // fetch-mod-resp = "MODSEQ" SP "(" permsg-modsequence ")"   ; RFC 7162
    static func parseFetchItem(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> FetchItemResult {
        let nameStart = buffer.index
        while let byte = buffer.peek(), ParseBuffer.isAtomChar(byte), byte != UInt8(ascii: "["), byte != UInt8(ascii: "<") {
            buffer.index += 1
        }
        guard buffer.index > nameStart else { throw buffer.failure("msg-att") }
        let name = buffer.bytes[nameStart..<buffer.index]
        switch FetchItemName(name) {
        case .uid:
            try buffer.expectSpace()
            return .attribute(.uid(try parseUID(&buffer)))
        case .flags:
            try buffer.expectSpace()
            return .attribute(.flags(try parseFlagList(&buffer)))
        case .internalDate:
            try buffer.expectSpace()
            return .attribute(.internalDate(try parseDateTime(&buffer)))
        case .rfc822Size:
            try buffer.expectSpace()
            let size = try parseNumber64(&buffer)
            guard size <= UInt64(Int.max) else { throw buffer.failure(.outOfRange(rule: "number64")) }
            return .attribute(.rfc822Size(Int(size)))
        case .modSeq:
            try buffer.expectSpace()
            try buffer.expect(UInt8(ascii: "("), rule: "(")
            let value = try parseNumber64(&buffer)
            try buffer.expect(UInt8(ascii: ")"), rule: ")")
            return .attribute(.modSeq(ModSeq(value)))
        case .rfc822: return try parseBodyValue(&buffer, kind: .rfc822)
        case .rfc822Header: return try parseBodyValue(&buffer, kind: .rfc822Header)
        case .rfc822Text: return try parseBodyValue(&buffer, kind: .rfc822Text)
        case .body where buffer.peek() == UInt8(ascii: "["):
            let section = try parseSection(&buffer)
            return try parseBodyValue(&buffer, kind: .body(section, offset: try parseOrigin(&buffer)))
        case .binary where buffer.peek() == UInt8(ascii: "["):
            let section = try parseSection(&buffer)
            guard section.kind == .complete else { throw buffer.failure("section-binary") }
            return try parseBodyValue(&buffer, kind: .binary(part: section.part, offset: try parseOrigin(&buffer)))
        case .body, .binary, .other:
            // ENVELOPE, BODY, BODYSTRUCTURE, BINARY.SIZE[..], X-GM-*: parsed and skipped.
            if buffer.peek() == UInt8(ascii: "[") { _ = try parseSection(&buffer) }
            try buffer.expectSpace()
            try skipValue(&buffer)
            return .attribute(.other(String(decoding: name, as: UTF8.self).uppercased()))
        }
    }

    /// `SP nstring` (or `literal8` for BINARY) after a body item name.
    private static func parseBodyValue(_ buffer: inout ParseBuffer, kind: StreamingKind) throws(GrammarFailure) -> FetchItemResult {
        try buffer.expectSpace()
        if parseNil(&buffer) { return .attribute(.nilBody(kind)) }
        if buffer.peek() == UInt8(ascii: "\"") { return .inlineBody(kind, try parseQuoted(&buffer)) }
        let (length, _) = try parseLiteralHeader(&buffer, allowBinary: true)
        if buffer.isAtEnd && length > 0 { return .streamingBegin(kind, byteCount: length) }
        guard UInt64(buffer.remaining) >= length else { throw buffer.failure("literal data") }
        let start = buffer.index
        buffer.index += Int(length)
        return .inlineBody(kind, Array(buffer.bytes[start..<buffer.index]))
    }

    // section = "[" [section-spec] "]"
    // section-spec = section-msgtext / (section-part ["." section-text])
    // section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
    // section-part = nz-number *("." nz-number)
    // section-text = section-msgtext / "MIME"
    static func parseSection(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> SectionSpecifier {
        try buffer.expect(UInt8(ascii: "["), rule: "section")
        var part: [Int] = []
        var kind = SectionSpecifier.Kind.complete
        if buffer.skip(UInt8(ascii: "]")) { return SectionSpecifier() }
        while let byte = buffer.peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            part.append(Int(try parseNZNumber(&buffer)))
            guard buffer.skip(UInt8(ascii: ".")) else { break }
        }
        if buffer.peek() != UInt8(ascii: "]") {
            if buffer.skipKeyword("HEADER.FIELDS.NOT") {
                kind = .headerFieldsNot(try parseHeaderList(&buffer))
            } else if buffer.skipKeyword("HEADER.FIELDS") {
                kind = .headerFields(try parseHeaderList(&buffer))
            } else if buffer.skipKeyword("HEADER") {
                kind = .header
            } else if buffer.skipKeyword("TEXT") {
                kind = .text
            } else if !part.isEmpty, buffer.skipKeyword("MIME") {
                kind = .mime
            } else {
                throw buffer.failure("section-text")
            }
        }
        try buffer.expect(UInt8(ascii: "]"), rule: "]")
        return SectionSpecifier(part: part, kind: kind)
    }

    // header-list = "(" header-fld-name *(SP header-fld-name) ")"   ; header-fld-name = astring
    private static func parseHeaderList(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [String] {
        try buffer.expectSpace()
        return try parseList(&buffer) { (buffer: inout ParseBuffer) throws(GrammarFailure) in
            String(decoding: try parseAString(&buffer), as: UTF8.self)
        }
    }

    // ["<" number ">"]
    private static func parseOrigin(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> Int? {
        guard buffer.skip(UInt8(ascii: "<")) else { return nil }
        let origin = try parseNumber(&buffer)
        try buffer.expect(UInt8(ascii: ">"), rule: ">")
        return Int(origin)
    }
}
