/// RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`), decoded for display only.
/// Unknown charsets and malformed words are left as they are.
public enum EncodedWords {
    public static func decode(_ text: String) -> String {
        var output = ""
        var rest = text[...]
        var lastWasEncoded = false
        while let start = rest.firstRange(of: "=?") {
            let before = rest[..<start.lowerBound]
            guard let word = parseWord(rest[start.lowerBound...]) else {
                output += before + "=?"
                rest = rest[start.upperBound...]
                lastWasEncoded = false
                continue
            }
            // White space between two encoded words is not displayed (RFC 2047 §6.2).
            if !(lastWasEncoded && before.allSatisfy({ $0 == " " || $0 == "\t" })) { output += before }
            output += word.decoded
            rest = rest[word.end...]
            lastWasEncoded = true
        }
        return output + rest
    }

    private static func parseWord(_ text: Substring) -> (decoded: String, end: Substring.Index)? {
        let parts = text.dropFirst(2)
        guard let charsetEnd = parts.firstIndex(of: "?") else { return nil }
        let charset = parts[..<charsetEnd].split(separator: "*").first.map { String($0).lowercased() } ?? ""
        let afterCharset = parts[parts.index(after: charsetEnd)...]
        guard let encoding = afterCharset.first, afterCharset.dropFirst().first == "?" else { return nil }
        let payloadStart = afterCharset.index(afterCharset.startIndex, offsetBy: 2)
        guard let close = afterCharset[payloadStart...].firstRange(of: "?=") else { return nil }
        let payload = afterCharset[payloadStart..<close.lowerBound]
        guard !payload.contains(" ") else { return nil }
        let bytes: [UInt8]?
        switch encoding {
        case "B", "b": bytes = base64(payload)
        case "Q", "q": bytes = quoted(payload)
        default: return nil
        }
        guard let bytes, let decoded = string(bytes, charset: charset) else { return nil }
        return (decoded, close.upperBound)
    }

    private static func string(_ bytes: [UInt8], charset: String) -> String? {
        switch charset {
        case "utf-8", "utf8", "us-ascii": return String(validating: bytes, as: UTF8.self) ?? MessageHeaders.text(bytes)
        case "iso-8859-1", "iso-8859-15", "latin1", "windows-1252":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default: return nil
        }
    }

    private static func quoted(_ payload: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var iterator = Array(payload.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "_") {
                out.append(0x20)
            } else if byte == UInt8(ascii: "=") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return nil }
                out.append(value)
            } else {
                out.append(byte)
            }
        }
        return out
    }

    private static func base64(_ payload: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in payload.utf8 {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - 97 + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - 48 + 52)
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            buffer = (buffer << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}
