/// RFC 2047 encoded words and header folding, written out by hand so the corpus controls
/// every byte.
enum HeaderEncoding {
    /// `=?UTF-8?B?...?=`.
    static func bEncodedUTF8(_ text: String) -> String {
        var out: [UInt8] = []
        Base64Lines.encode(Array(text.utf8), to: &out, lineLength: nil)
        return "=?UTF-8?B?" + String(decoding: out, as: UTF8.self) + "?="
    }

    /// `=?ISO-8859-1?Q?...?=`, or nil when the text does not fit in Latin-1.
    static func qEncodedLatin1(_ text: String) -> String? {
        var encoded = ""
        for scalar in text.unicodeScalars {
            guard scalar.value < 256 else { return nil }
            switch scalar.value {
            case 0x20: encoded += "_"
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: encoded.unicodeScalars.append(scalar)
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                encoded += "=" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return "=?ISO-8859-1?Q?" + encoded + "?="
    }

    /// Folds a long unstructured value at spaces so no line exceeds 78 characters
    /// (RFC 5322 §2.2.3); continuation lines start with a tab.
    static func fold(_ value: String, firstLineUsed: Int) -> String {
        var lines: [String] = []
        var current = ""
        var limit = 78 - firstLineUsed
        for word in value.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > limit {
                lines.append(current)
                current = String(word)
                limit = 77
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n\t")
    }
}
