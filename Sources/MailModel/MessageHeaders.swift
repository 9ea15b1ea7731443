/// Reads a few header fields from the start of a message, for reports meant for humans
/// (Subject, Message-ID, From). It never changes or re-encodes a message: it only looks.
///
/// Tolerant by design: CRLF or bare LF line ends, folded lines, 8-bit bytes (read as UTF-8,
/// else Latin-1), RFC 2047 encoded words (B and Q) in UTF-8, US-ASCII and ISO-8859-1/-15.
public struct MessageHeaders: Sendable {
    private var fields: [(name: String, value: [UInt8])] = []

    /// Parse the header block found in `prefix` (the first bytes of a message; the header
    /// may be cut off, in which case the fields seen so far are returned).
    public init(prefix: [UInt8]) {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < prefix.count {
            let byte = prefix[index]
            if byte == UInt8(ascii: "\n") {
                if current.last == UInt8(ascii: "\r") { current.removeLast() }
                if current.isEmpty { break }  // end of header
                lines.append(current)
                current = []
            } else {
                current.append(byte)
            }
            index += 1
        }
        for line in lines {
            if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                guard !fields.isEmpty else { continue }
                fields[fields.count - 1].value.append(contentsOf: line)
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { continue }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            var value = Array(line[(colon + 1)...])
            while let first = value.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { value.removeFirst() }
            fields.append((name, value))
        }
    }

    /// The raw (undecoded) value of the first field called `name`, unfolded.
    public func rawValue(_ name: String) -> String? {
        let key = name.lowercased()
        guard let field = fields.first(where: { $0.name == key }) else { return nil }
        return MessageHeaders.text(field.value)
    }

    /// The first field called `name`, with RFC 2047 encoded words decoded for display.
    public func decodedValue(_ name: String) -> String? {
        rawValue(name).map(EncodedWords.decode)
    }

    /// The Message-ID without angle brackets' surrounding white space, if present.
    public var messageID: String? {
        rawValue("message-id")?.trimmingCharacters(in: " \t")
    }

    /// The Subject decoded for display.
    public var subject: String? { decodedValue("subject") }

    static func text(_ bytes: [UInt8]) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
