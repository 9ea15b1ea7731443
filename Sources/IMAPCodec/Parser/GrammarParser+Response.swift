import MailModel

extension GrammarParser {
    // response = *(continue-req / response-data) response-done
    // greeting = "*" SP (resp-cond-auth / resp-cond-bye) CRLF
    /// Parses one complete response that is not a FETCH (those go through ``parseFetchStart(_:)``).
    static func parseResponse(_ buffer: inout ParseBuffer, expectingGreeting: Bool) throws(GrammarFailure) -> ResponseEvent {
        if expectingGreeting {
            guard buffer.skip(UInt8(ascii: "*")), buffer.skip(UInt8(ascii: " ")) else { throw buffer.failure(.invalidGreeting) }
            let status = try parseStatusWord(&buffer)
            guard status == .ok || status == .preauth || status == .bye else { throw buffer.failure(.invalidGreeting) }
            return .greeting(status, try parseResponseTextAfterStatus(&buffer))
        }
        switch buffer.peek() {
        case UInt8(ascii: "+"):
            return try parseContinuation(&buffer)
        case UInt8(ascii: "*"):
            buffer.index += 1
            try buffer.expectSpace()
            return .untagged(try parseResponseData(&buffer))
        default:
            return .tagged(try parseTaggedResponse(&buffer))
        }
    }

    // continue-req = "+" SP (resp-text / base64) CRLF
    // Servers also send a bare "+"; accepted.
    static func parseContinuation(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> ResponseEvent {
        try buffer.expect(UInt8(ascii: "+"), rule: "+")
        guard buffer.skip(UInt8(ascii: " ")) else {
            guard buffer.isAtEnd else { throw buffer.failure("SP") }
            return .continuation(text: "")
        }
        return .continuation(text: try parseText(&buffer))
    }

    // response-tagged = tag SP resp-cond-state CRLF
    // tag = 1*<any ASTRING-CHAR except "+">
    static func parseTaggedResponse(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> TaggedResponse {
        let start = buffer.index
        while let byte = buffer.peek(), (ParseBuffer.isAtomChar(byte) || byte == UInt8(ascii: "]")), byte != UInt8(ascii: "+") {
            buffer.index += 1
        }
        guard buffer.index > start else { throw buffer.failure("tag") }
        let tag = String(decoding: buffer.bytes[start..<buffer.index], as: UTF8.self)
        try buffer.expectSpace()
        let status = try parseStatusWord(&buffer)
        guard status == .ok || status == .no || status == .bad else { throw buffer.failure("resp-cond-state") }
        return TaggedResponse(tag: tag, status: status, text: try parseResponseTextAfterStatus(&buffer))
    }

    /// `"OK" / "NO" / "BAD" / "PREAUTH" / "BYE"`.
    static func parseStatusWord(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> ResponseStatus {
        for status in ResponseStatus.allCases where buffer.skipKeyword(status.rawValue) { return status }
        throw buffer.failure("OK / NO / BAD / PREAUTH / BYE")
    }

    /// The `SP resp-text` after a status word; a missing text is tolerated (`A1 OK`).
    static func parseResponseTextAfterStatus(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> ResponseText {
        guard buffer.skip(UInt8(ascii: " ")) else {
            guard buffer.isAtEnd else { throw buffer.failure("SP") }
            return ResponseText(text: "")
        }
        return try parseResponseText(&buffer)
    }

    // resp-text = ["[" resp-text-code "]" SP] text
    static func parseResponseText(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> ResponseText {
        var code: ResponseCode?
        if buffer.skip(UInt8(ascii: "[")) {
            code = try parseResponseCode(&buffer)
            try buffer.expect(UInt8(ascii: "]"), rule: "]")
            _ = buffer.skip(UInt8(ascii: " "))
        }
        return ResponseText(code: code, text: try parseText(&buffer))
    }

    // response-data = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data / message-data /
    //                 capability-data / enable-data / id-response / namespace-response) CRLF
    static func parseResponseData(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> UntaggedResponse {
        if let first = buffer.peek(), first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
            return try parseNumberedData(&buffer)
        }
        for status in [ResponseStatus.ok, .no, .bad, .bye, .preauth] where buffer.skipKeyword(status.rawValue) {
            return .condition(status, try parseResponseTextAfterStatus(&buffer))
        }
        let name = try parseAtom(&buffer).uppercased()
        switch name {
        case "CAPABILITY": return .capability(try parseCapabilities(&buffer))
        case "ENABLED": return .enabled(try parseCapabilities(&buffer))
        case "ID": return .id(try parseIDParameters(&buffer))
        case "NAMESPACE": return .namespace(try parseNamespaceResponse(&buffer))
        case "LIST": return .list(try parseMailboxList(&buffer))
        case "LSUB": return .lsub(try parseMailboxList(&buffer))
        case "STATUS": return try parseStatusResponse(&buffer)
        case "FLAGS":
            try buffer.expectSpace()
            let flags = try parseFlagList(&buffer)
            try expectEnd(&buffer)
            return .flags(flags)
        case "SEARCH": return try parseSearchResponse(&buffer)
        default:
            // An extension response: framed, its text skipped.
            buffer.index = buffer.bytes.count
            return .other(name)
        }
    }

    // message-data = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att))
    // mailbox-data =/ number SP "EXISTS" / number SP "RECENT"
    static func parseNumberedData(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> UntaggedResponse {
        let number = try parseNumber(&buffer)
        try buffer.expectSpace()
        let response: UntaggedResponse
        if buffer.skipKeyword("EXISTS") {
            response = .exists(Int(number))
        } else if buffer.skipKeyword("RECENT") {
            response = .recent(Int(number))
        } else if buffer.skipKeyword("EXPUNGE") {
            guard let sequence = SequenceNumber(number) else { throw buffer.failure(.outOfRange(rule: "nz-number")) }
            response = .expunge(sequence)
        } else {
            throw buffer.failure("EXISTS / RECENT / EXPUNGE")
        }
        try expectEnd(&buffer)
        return response
    }

    // capability-data = "CAPABILITY" *(SP capability) ; capability = ("AUTH=" auth-type) / atom
    // enable-data = "ENABLED" *(SP capability)
    static func parseCapabilities(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [Capability] {
        var result: [Capability] = []
        while buffer.skip(UInt8(ascii: " ")) {
            if buffer.isAtEnd || buffer.peek() == UInt8(ascii: "]") { break }  // trailing space
            result.append(Capability(try parseAtom(&buffer)))
        }
        return result
    }

    // id-response = "ID" SP id-params-list
    // id-params-list = "(" *(string SP nstring) ")" / nil
    static func parseIDParameters(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [IDParameter] {
        try buffer.expectSpace()
        if parseNil(&buffer) { return [] }
        try buffer.expect(UInt8(ascii: "("), rule: "(")
        try buffer.enterList()
        defer { buffer.leaveList() }
        var result: [IDParameter] = []
        while !buffer.skip(UInt8(ascii: ")")) {
            if !result.isEmpty { try buffer.expectSpace() }
            let key = String(decoding: try parseString(&buffer), as: UTF8.self)
            try buffer.expectSpace()
            let value = try parseNString(&buffer).map { String(decoding: $0, as: UTF8.self) }
            result.append(IDParameter(key: key, value: value))
        }
        return result
    }

    // mailbox-data =/ "SEARCH" *(SP nz-number) [SP search-sort-mod-seq]
    // search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value ")"
    static func parseSearchResponse(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> UntaggedResponse {
        var numbers: [UInt32] = []
        var modSeq: ModSeq?
        while buffer.skip(UInt8(ascii: " ")) {
            if buffer.isAtEnd { break }  // Courier and others end with a space
            if buffer.skip(UInt8(ascii: "(")) {
                try buffer.expectKeyword("MODSEQ")
                try buffer.expectSpace()
                modSeq = ModSeq(try parseNumber64(&buffer))
                try buffer.expect(UInt8(ascii: ")"), rule: ")")
                break
            }
            numbers.append(try parseNZNumber(&buffer))
        }
        try expectEnd(&buffer)
        return .search(numbers, highestModSeq: modSeq)
    }

    /// The response must end here (trailing spaces tolerated).
    static func expectEnd(_ buffer: inout ParseBuffer) throws(GrammarFailure) {
        while buffer.skip(UInt8(ascii: " ")) {}
        guard buffer.isAtEnd else { throw buffer.failure("CRLF") }
    }
}
