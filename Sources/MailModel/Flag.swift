/// A message flag: a system flag (`\Seen`) or a keyword (`$Forwarded`, `NonJunk`).
///
/// Servers may define their own, so this is an open struct with well-known values, not a
/// closed enum. Flags compare case-insensitively (RFC 3501 §2.3.2) but keep the spelling
/// they were created with, so a keyword is written back exactly as it was read.
public struct Flag: Hashable, Sendable, CustomStringConvertible {
    /// The flag as it appears on the wire, e.g. `\Seen` or `$Label1`.
    public let stringValue: String
    /// What equality and hashing use: `stringValue` folded to lower case once, at creation.
    /// Sets of flags hash and compare their members over and over (a re-run compares the
    /// flags of every message it knows), and folding the string each time was most of that
    /// work.
    private let folded: String

    /// Initialize a flag from its wire spelling.
    public init(_ stringValue: String) {
        self.stringValue = stringValue
        self.folded = Self.fold(stringValue)
    }

    /// Lower case: ASCII by hand (a flag is an atom, so nearly always ASCII, and one already in
    /// lower case is its own key), anything else as `lowercased()` folds it.
    private static func fold(_ string: String) -> String {
        var hasUpperCase = false
        for byte in string.utf8 {
            if byte >= 0x80 { return string.lowercased() }
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { hasUpperCase = true }
        }
        guard hasUpperCase else { return string }
        return String(decoding: string.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    public static let seen = Flag("\\Seen")
    public static let answered = Flag("\\Answered")
    public static let flagged = Flag("\\Flagged")
    public static let deleted = Flag("\\Deleted")
    public static let draft = Flag("\\Draft")
    /// Session-only; never stored or copied.
    public static let recent = Flag("\\Recent")

    /// The five system flags that a client can set and a store keeps.
    public static let storableSystemFlags: [Flag] = [.seen, .answered, .flagged, .deleted, .draft]

    /// True for flags that start with a backslash.
    public var isSystemFlag: Bool { stringValue.hasPrefix("\\") }

    /// True for keywords (user-defined flags): anything that is not a system flag.
    public var isKeyword: Bool { !isSystemFlag }

    /// True if this is a syntactically valid IMAP keyword: a non-empty atom (RFC 3501
    /// `flag-keyword = atom`): printable ASCII without `(){ %*"\]` or controls.
    public var isValidKeyword: Bool {
        guard !stringValue.isEmpty else { return false }
        return stringValue.utf8.allSatisfy { AtomChar.contains($0, eightBit: false) }
    }

    public var description: String { stringValue }

    public static func == (lhs: Flag, rhs: Flag) -> Bool {
        lhs.folded == rhs.folded
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(folded)
    }
}

extension Flag: Codable {
    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stringValue)
    }
}
