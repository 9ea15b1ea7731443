import MailModel

extension GrammarParser {
    // mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
    //                [SP mbox-list-extended]
    // mbx-list-flags = *(mbx-list-oflag SP) mbx-list-sflag *(SP mbx-list-oflag) / mbx-list-oflag *(SP mbx-list-oflag)
    // mbox-list-extended = "(" [mbox-list-extended-item *(SP mbox-list-extended-item)] ")"
    static func parseMailboxList(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> MailboxInfo {
        try buffer.expectSpace()
        let attributes = try parseList(&buffer) { (buffer: inout ParseBuffer) throws(GrammarFailure) in
            MailboxAttribute(try parseFlag(&buffer).stringValue)
        }
        try buffer.expectSpace()
        let separator = try parseSeparator(&buffer)
        try buffer.expectSpace()
        let wire = try parseMailbox(&buffer)
        var extensionNames: [String] = []
        if buffer.skip(UInt8(ascii: " ")), buffer.peek() == UInt8(ascii: "(") {
            // mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
            try buffer.expect(UInt8(ascii: "("), rule: "(")
            try buffer.enterList()
            while !buffer.skip(UInt8(ascii: ")")) {
                if !extensionNames.isEmpty { try buffer.expectSpace() }
                extensionNames.append(String(decoding: try parseAString(&buffer), as: UTF8.self).uppercased())
                try buffer.expectSpace()
                try skipValue(&buffer)
            }
            buffer.leaveList()
        }
        try expectEnd(&buffer)
        return MailboxInfo(attributes: attributes, path: MailboxPath(wire: wire, separator: separator), extensionNames: extensionNames)
    }

    /// `(DQUOTE QUOTED-CHAR DQUOTE / nil)`: the hierarchy delimiter.
    static func parseSeparator(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> Character? {
        if parseNil(&buffer) { return nil }
        let start = buffer.index
        let bytes = try parseQuoted(&buffer)
        guard bytes.count == 1, bytes[0] < 0x80 else {
            buffer.index = start
            throw buffer.failure("QUOTED-CHAR")
        }
        return Character(Unicode.Scalar(bytes[0]))
    }

    // mailbox = "INBOX" / astring   ; INBOX is case-insensitive
    static func parseMailbox(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [UInt8] {
        let wire = try parseAString(&buffer)
        if wire.count == 5, String(decoding: wire, as: UTF8.self).uppercased() == "INBOX" { return Array("INBOX".utf8) }
        return wire
    }

    // mailbox-data =/ "STATUS" SP mailbox SP "(" [status-att-list] ")"
    // status-att-list = status-att-val *(SP status-att-val)
    // status-att-val = ("MESSAGES" SP number) / ("UIDNEXT" SP nz-number) / ("UIDVALIDITY" SP nz-number) /
    //     ("UNSEEN" SP number) / ("DELETED" SP number) / ("SIZE" SP number64) / ("RECENT" SP number) /
    //     ("HIGHESTMODSEQ" SP mod-sequence-value) / ("APPENDLIMIT" SP (number / nil))
    static func parseStatusResponse(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> UntaggedResponse {
        try buffer.expectSpace()
        let wire = try parseMailbox(&buffer)
        try buffer.expectSpace()
        var status = MailboxStatus()
        try buffer.expect(UInt8(ascii: "("), rule: "(")
        var first = true
        while !buffer.skip(UInt8(ascii: ")")) {
            if !first { try buffer.expectSpace() }
            first = false
            let name = try parseAtom(&buffer).uppercased()
            try buffer.expectSpace()
            switch name {
            case "MESSAGES": status.messageCount = Int(try parseNumber(&buffer))
            case "RECENT": status.recentCount = Int(try parseNumber(&buffer))
            case "UIDNEXT": status.uidNext = try parseUID(&buffer)
            case "UIDVALIDITY": status.uidValidity = UIDValidity(try parseNZNumber(&buffer))
            case "UNSEEN": status.unseenCount = Int(try parseNumber(&buffer))
            case "DELETED": status.deletedCount = Int(try parseNumber(&buffer))
            case "SIZE": status.size = try parseNumber64(&buffer)
            case "HIGHESTMODSEQ": status.highestModSeq = ModSeq(try parseNumber64(&buffer))
            case "APPENDLIMIT": status.appendLimit = parseNil(&buffer) ? nil : try parseNumber64(&buffer)
            default: try skipValue(&buffer)
            }
        }
        try expectEnd(&buffer)
        return .status(MailboxPath(wire: wire, separator: nil), status)
    }

    // namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace
    static func parseNamespaceResponse(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> NamespaceResponse {
        try buffer.expectSpace()
        let personal = try parseNamespace(&buffer)
        try buffer.expectSpace()
        let other = try parseNamespace(&buffer)
        try buffer.expectSpace()
        let shared = try parseNamespace(&buffer)
        try expectEnd(&buffer)
        return NamespaceResponse(personal: personal, otherUsers: other, shared: shared)
    }

    // namespace = nil / "(" 1*namespace-descr ")"
    // namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) [namespace-response-extensions] ")"
    // namespace-response-extensions = *(SP string SP "(" string *(SP string) ")")
    static func parseNamespace(_ buffer: inout ParseBuffer) throws(GrammarFailure) -> [NamespaceDescription] {
        if parseNil(&buffer) { return [] }
        try buffer.expect(UInt8(ascii: "("), rule: "(")
        try buffer.enterList()
        defer { buffer.leaveList() }
        var result: [NamespaceDescription] = []
        repeat {
            try buffer.expect(UInt8(ascii: "("), rule: "(")
            try buffer.enterList()
            let prefix = try parseString(&buffer)
            try buffer.expectSpace()
            let separator = try parseSeparator(&buffer)
            while buffer.skip(UInt8(ascii: " ")) {
                _ = try parseString(&buffer)
                try buffer.expectSpace()
                try skipValue(&buffer)
            }
            try buffer.expect(UInt8(ascii: ")"), rule: ")")
            buffer.leaveList()
            result.append(NamespaceDescription(prefix: MailboxPath(wire: prefix, separator: separator)))
            _ = buffer.skip(UInt8(ascii: " "))  // some servers separate descriptions with a space
        } while buffer.peek() == UInt8(ascii: "(")
        try buffer.expect(UInt8(ascii: ")"), rule: ")")
        return result
    }
}
