/// Reads header fields from the start of a message (CRLF lines, unfolded), for metadata
/// such as Message-ID. Never used to change the message.
enum HeaderFields {
    /// The value of the first field named `name` (case-insensitive) in the header section.
    static func first(_ name: String, in bytes: [UInt8]) -> String? {
        let wanted = Array(name.lowercased().utf8) + [UInt8(ascii: ":")]
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 10 else {
                index += 1
                continue
            }
            let line = bytes[lineStart..<index]
            if line.isEmpty || line == [13] { return nil }
            if line.count > wanted.count, zip(line.prefix(wanted.count), wanted).allSatisfy({ lower($0) == $1 }) {
                var value = Array(line.dropFirst(wanted.count))
                // Unfold continuation lines.
                var next = index + 1
                while next < bytes.count, bytes[next] == 32 || bytes[next] == 9 {
                    let end = bytes[next...].firstIndex(of: 10) ?? bytes.count
                    value += [32] + bytes[next..<end]
                    next = end + 1
                }
                let text = String(decoding: value.filter { $0 != 13 }, as: UTF8.self)
                return text.trimmingCharacters(in: " \t")
            }
            lineStart = index + 1
            index += 1
        }
        return nil
    }

    static func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        return String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
