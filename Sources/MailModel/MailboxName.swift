/// A mailbox (folder) name as a Unicode string together with the hierarchy separator of
/// the store it lives in.
///
/// The same folder is `INBOX.Archive.2019` on Courier (separator `.`, prefix `INBOX.`) and
/// `Archive/2019` on Dovecot (separator `/`, no prefix): the name alone does not say where
/// the levels are, so this value always carries its separator. Names are kept decoded
/// (UTF-8); the wire form (modified UTF-7) is produced by ``modifiedUTF7``.
public struct MailboxName: Hashable, Sendable, CustomStringConvertible {
    /// The decoded full name, e.g. `INBOX.Entwürfe`.
    public let name: String
    /// The hierarchy separator, or `nil` for a flat namespace.
    public let separator: Character?

    /// Initialize a mailbox name. `INBOX` is recognised in any case and stored as `INBOX`
    /// (RFC 3501 §5.1: the name INBOX is case-insensitive), including as the first level.
    public init(_ name: String, separator: Character?) {
        self.separator = separator
        self.name = MailboxName.canonicalizingInbox(name, separator: separator)
    }

    /// Names are equal when their bytes are: Swift's `String` equality would merge `Entwürfe`
    /// spelt with a precomposed ü (NFC) and with u + combining diaeresis (NFD), which servers
    /// keep as two folders, and a plan must never silently map two folders onto one.
    public static func == (lhs: MailboxName, rhs: MailboxName) -> Bool {
        lhs.separator == rhs.separator && lhs.name.utf8.elementsEqual(rhs.name.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(separator)
        for byte in name.utf8 { hasher.combine(byte) }
    }

    /// Initialize a mailbox name from its levels.
    public init(components: [String], separator: Character) {
        self.init(components.joined(separator: String(separator)), separator: separator)
    }

    /// Decode a wire name (modified UTF-7, or UTF-8 when `utf8` is true, as after
    /// `ENABLE UTF8=ACCEPT`).
    public init(wire: [UInt8], separator: Character?, utf8: Bool = false) throws {
        if utf8 {
            guard let text = String(validating: wire, as: UTF8.self) else {
                throw ModifiedUTF7.DecodingError(kind: .nonASCIIByte, offset: 0)
            }
            self.init(text, separator: separator)
        } else {
            self.init(try ModifiedUTF7.decode(bytes: wire), separator: separator)
        }
    }

    /// The INBOX of any namespace.
    public static func inbox(separator: Character?) -> MailboxName {
        MailboxName("INBOX", separator: separator)
    }

    /// True for the INBOX itself.
    public var isInbox: Bool { name == "INBOX" }

    /// The levels of the name, split at the separator.
    public var components: [String] {
        guard let separator else { return [name] }
        return name.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    /// The last level of the name: what a client shows as the folder's name.
    public var leaf: String { components.last ?? name }

    /// The parent folder, or `nil` at the top level.
    public var parent: MailboxName? {
        guard let separator else { return nil }
        let parts = components
        guard parts.count > 1 else { return nil }
        return MailboxName(components: Array(parts.dropLast()), separator: separator)
    }

    /// The name encoded for the wire in modified UTF-7.
    public var modifiedUTF7: String { ModifiedUTF7.encode(name) }

    /// The same folder in a store with another separator. Fails (returns `nil`) when a
    /// level contains the new separator, which would silently change the hierarchy.
    public func converted(to newSeparator: Character?) -> MailboxName? {
        guard let newSeparator else {
            return components.count == 1 ? MailboxName(name, separator: nil) : nil
        }
        let parts = components
        if separator != newSeparator, parts.contains(where: { $0.contains(newSeparator) }) { return nil }
        return MailboxName(components: parts, separator: newSeparator)
    }

    public var description: String { name }

    private static func canonicalizingInbox(_ name: String, separator: Character?) -> String {
        let firstLevel: Substring
        if let separator, let index = name.firstIndex(of: separator) {
            firstLevel = name[..<index]
        } else {
            firstLevel = name[...]
        }
        guard firstLevel.count == 5, firstLevel.uppercased() == "INBOX", firstLevel != "INBOX" else { return name }
        return "INBOX" + name[firstLevel.endIndex...]
    }
}
