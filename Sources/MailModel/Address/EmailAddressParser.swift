/// The RFC 5321 §4.1.2 grammar for mailboxes, with the §4.5.3.1 size limits.
///
/// ```
/// Mailbox        = Local-part "@" ( Domain / address-literal )
/// Local-part     = Dot-string / Quoted-string      ; max 64 octets
/// Dot-string     = Atom *("."  Atom)
/// Quoted-string  = DQUOTE *QcontentSMTP DQUOTE
/// Domain         = sub-domain *("." sub-domain)    ; max 255 octets
/// sub-domain     = Let-dig [Ldh-str]
/// ```
/// RFC 6531 adds UTF-8 (octets >= 0x80) to atext, qtext and sub-domain when SMTPUTF8 is in use.
enum EmailAddressParser {
    static let localPartLimit = 64
    static let domainLimit = 255

    static func parseMailbox(_ text: Substring, allowUTF8: Bool) -> EmailAddress? {
        let bytes = Array(text.utf8)
        guard let at = lastAtOutsideQuotes(bytes) else { return nil }
        let local = Array(bytes[..<at])
        let domain = Array(bytes[(at + 1)...])
        guard !local.isEmpty, local.count <= localPartLimit else { return nil }
        guard !domain.isEmpty, domain.count <= domainLimit else { return nil }
        guard isValidLocalPart(local, allowUTF8: allowUTF8) else { return nil }
        guard isValidDomain(domain, allowUTF8: allowUTF8) || isValidAddressLiteral(domain) else { return nil }
        return EmailAddress(localPart: String(decoding: local, as: UTF8.self), domain: String(decoding: domain, as: UTF8.self))
    }

    static func lastAtOutsideQuotes(_ bytes: [UInt8]) -> Int? {
        var inQuotes = false
        var escaped = false
        var found: Int?
        for (index, byte) in bytes.enumerated() {
            if escaped { escaped = false; continue }
            switch byte {
            case UInt8(ascii: "\\") where inQuotes: escaped = true
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: "@") where !inQuotes: found = index
            default: break
            }
        }
        return inQuotes ? nil : found
    }

    static func isValidLocalPart(_ bytes: [UInt8], allowUTF8: Bool) -> Bool {
        if bytes.first == UInt8(ascii: "\"") { return isValidQuotedString(bytes, allowUTF8: allowUTF8) }
        // Dot-string: atoms separated by single dots, no leading or trailing dot.
        var previousWasDot = true
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
            } else {
                guard isAtext(byte, allowUTF8: allowUTF8) else { return false }
                previousWasDot = false
            }
        }
        return !previousWasDot
    }

    static func isValidQuotedString(_ bytes: [UInt8], allowUTF8: Bool) -> Bool {
        guard bytes.count >= 2, bytes.last == UInt8(ascii: "\"") else { return false }
        var index = 1
        while index < bytes.count - 1 {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                // quoted-pairSMTP = %d92 %d32-126
                guard index + 1 < bytes.count - 1, (32...126).contains(bytes[index + 1]) else { return false }
                index += 2
                continue
            }
            // qtextSMTP = %d32-33 / %d35-91 / %d93-126
            let ok = byte == 32 || byte == 33 || (35...91).contains(byte) || (93...126).contains(byte) || (allowUTF8 && byte >= 0x80)
            guard ok else { return false }
            index += 1
        }
        return true
    }

    static func isValidDomain(_ bytes: [UInt8], allowUTF8: Bool) -> Bool {
        var label: [UInt8] = []
        func labelOK(_ label: [UInt8]) -> Bool {
            guard let first = label.first, let last = label.last, label.count <= 63 || allowUTF8 else { return false }
            guard isLetDig(first, allowUTF8: allowUTF8), isLetDig(last, allowUTF8: allowUTF8) else { return false }
            return label.allSatisfy { isLetDig($0, allowUTF8: allowUTF8) || $0 == UInt8(ascii: "-") }
        }
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard labelOK(label) else { return false }
                label.removeAll(keepingCapacity: true)
            } else {
                label.append(byte)
            }
        }
        return labelOK(label)
    }

    /// `[IPv4]`, `[IPv6:...]` or a general literal `[tag:content]`; content is printable ASCII
    /// without `[`, `]` and `\`.
    static func isValidAddressLiteral(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 3, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { return false }
        return bytes.dropFirst().dropLast().allSatisfy { (33...126).contains($0) && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]") && $0 != UInt8(ascii: "\\") }
    }

    static func isLetDig(_ byte: UInt8, allowUTF8: Bool) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (allowUTF8 && byte >= 0x80)
    }

    /// RFC 5322 atext: ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~"
    static func isAtext(_ byte: UInt8, allowUTF8: Bool) -> Bool {
        if isLetDig(byte, allowUTF8: allowUTF8) { return true }
        return Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(byte)
    }

    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
