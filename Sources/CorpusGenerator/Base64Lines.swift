/// Base64 (RFC 2045) with LF line ends, as attachments sit in a Maildir.
enum Base64Lines {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends `count` pseudo-random bytes, encoded in 76-character lines.
    static func append(randomBytes count: Int, from r: inout SeededRandom, to out: inout [UInt8]) {
        var raw: [UInt8] = []
        raw.reserveCapacity(count + 8)
        while raw.count < count {
            var word = r.next()
            for _ in 0..<8 {
                raw.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        raw.removeLast(raw.count - count)
        encode(raw, to: &out, lineLength: 76)
    }

    /// Encodes `bytes`; with a line length, every line (the last too) ends with LF.
    static func encode(_ bytes: [UInt8], to out: inout [UInt8], lineLength: Int?) {
        out.reserveCapacity(out.count + bytes.count * 4 / 3 + bytes.count / 57 + 4)
        var column = 0
        var i = 0
        func emit(_ c: UInt8) {
            out.append(c)
            column += 1
            if let lineLength, column == lineLength { out.append(0x0A); column = 0 }
        }
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            emit(alphabet[Int(n >> 18 & 63)]); emit(alphabet[Int(n >> 12 & 63)])
            emit(alphabet[Int(n >> 6 & 63)]); emit(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            emit(alphabet[Int(n >> 18 & 63)]); emit(alphabet[Int(n >> 12 & 63)])
            emit(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "=")); emit(UInt8(ascii: "="))
        }
        if lineLength != nil, column > 0 { out.append(0x0A) }
    }
}
