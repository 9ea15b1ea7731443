/// Reads header fields from the start of a message (CRLF lines, unfolded), for metadata
/// such as Message-ID, and renames the one field the mirror may not pass on.
enum HeaderFields {
    /// `bytes` with every header field named `name` (case-insensitive, also in the obsolete
    /// form with white space before the colon) renamed to `replacement`; the rest of each
    /// line, continuation lines and the body are untouched. Only the header section is read.
    static func renaming(_ name: String, to replacement: String, in bytes: [UInt8]) -> [UInt8] {
        let wanted = Array(name.lowercased().utf8)
        var output: [UInt8] = []
        var lineStart = 0
        while lineStart < bytes.count {
            let end = bytes[lineStart...].firstIndex(of: 10).map { $0 + 1 } ?? bytes.count
            let line = bytes[lineStart..<end]
            if line.first == 10 || (line.first == 13 && line.dropFirst().first == 10) { break }
            if line.count > wanted.count, zip(line.prefix(wanted.count), wanted).allSatisfy({ lower($0) == $1 }),
               line.dropFirst(wanted.count).drop(while: { $0 == 32 || $0 == 9 }).first == UInt8(ascii: ":") {
                output += Array(replacement.utf8) + line.dropFirst(wanted.count)
            } else {
                output += line
            }
            lineStart = end
        }
        return output + bytes[lineStart...]
    }

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

    /// The first line of the value of every field named `name` in the header section
    /// (continuation lines ignored), in order.
    static func firstLines(of name: String, in bytes: [UInt8]) -> [String] {
        let wanted = Array(name.lowercased().utf8)
        var values: [String] = []
        var lineStart = 0
        while lineStart < bytes.count {
            let end = bytes[lineStart...].firstIndex(of: 10) ?? bytes.count
            var line = bytes[lineStart..<end]
            if line.last == 13 { line = line.dropLast() }
            if line.isEmpty { break }
            if line.count > wanted.count, zip(line.prefix(wanted.count), wanted).allSatisfy({ lower($0) == $1 }) {
                let rest = line.dropFirst(wanted.count).drop { $0 == 32 || $0 == 9 }
                if rest.first == UInt8(ascii: ":") { values.append(String(decoding: rest.dropFirst(), as: UTF8.self)) }
            }
            lineStart = end + 1
        }
        return values
    }

    static func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        return String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
