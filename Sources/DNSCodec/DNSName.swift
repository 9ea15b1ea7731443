/// A domain name as its labels (raw octets, no dots), compared without regard to ASCII case
/// as RFC 4343 requires. The root is the empty list.
public struct DNSName: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let labels: [[UInt8]]

    public static let root = DNSName(validated: [])

    init(validated labels: [[UInt8]]) { self.labels = labels }

    /// Parses `mail.example.com` or `mail.example.com.` (a trailing dot is the same name).
    public init(_ text: String) throws(DNSError) {
        var trimmed = Substring(text)
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty {
            guard text == "." || text.isEmpty else { throw .badName(text) }
            self.labels = []
            return
        }
        let labels = trimmed.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) }
        guard labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 }),
              labels.reduce(1, { $0 + $1.count + 1 }) <= 255 else { throw .badName(text) }
        self.labels = labels
    }

    /// The wire length: each label with its length octet, and the root's zero octet.
    public var wireLength: Int { labels.reduce(1) { $0 + $1.count + 1 } }

    /// The name with a leading label added, e.g. `_25._tcp` before an MX host.
    public func prepending(_ label: String) throws(DNSError) -> DNSName {
        try DNSName(label + "." + description)
    }

    /// The parent zone's name (`example.com` for `mail.example.com`); the root's parent is the root.
    public var parent: DNSName { labels.isEmpty ? self : DNSName(validated: Array(labels.dropFirst())) }

    /// Whether this name equals `zone` or lies below it.
    public func isSubdomain(of zone: DNSName) -> Bool {
        guard labels.count >= zone.labels.count else { return false }
        return DNSName(validated: Array(labels.suffix(zone.labels.count))) == zone
    }

    /// Lower-case text without the trailing dot; `.` for the root. Octets outside printable
    /// ASCII and the dot itself appear as `\DDD`, so the text cannot be mistaken for another name.
    public var description: String {
        guard !labels.isEmpty else { return "." }
        return labels.map { label in
            var text = ""
            for octet in label {
                switch octet {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): text.unicodeScalars.append(Unicode.Scalar(octet + 32))
                case UInt8(ascii: "."), UInt8(ascii: "\\"), 0..<33, 127...:
                    let digits = String(octet)
                    text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
                default: text.unicodeScalars.append(Unicode.Scalar(octet))
                }
            }
            return text
        }.joined(separator: ".")
    }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.labels.count == rhs.labels.count && zip(lhs.labels, rhs.labels).allSatisfy { a, b in
            a.count == b.count && zip(a, b).allSatisfy { lower($0) == lower($1) }
        }
    }

    public func hash(into hasher: inout Hasher) {
        for label in labels {
            hasher.combine(label.count)
            for octet in label { hasher.combine(Self.lower(octet)) }
        }
    }

    public static func < (lhs: DNSName, rhs: DNSName) -> Bool { lhs.description < rhs.description }

    static func lower(_ octet: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(octet) ? octet + 32 : octet
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try DNSName(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
