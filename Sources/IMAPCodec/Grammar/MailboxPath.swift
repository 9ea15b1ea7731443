import MailModel

/// A mailbox name exactly as the server spells it on the wire, with its hierarchy separator.
///
/// Commands address mailboxes by these bytes, so a folder whose name does not decode (a
/// Courier < 5 folder with invalid modified UTF-7, say) can still be selected and copied.
/// ``decoded(utf8:)`` gives the Unicode ``MailboxName``.
public struct MailboxPath: Hashable, Sendable, CustomStringConvertible {
    /// The exact wire bytes: modified UTF-7, or UTF-8 after `ENABLE UTF8=ACCEPT`.
    public let wire: [UInt8]
    /// The hierarchy separator, or `nil` for a flat namespace.
    public let separator: Character?

    public init(wire: [UInt8], separator: Character?) {
        self.wire = wire
        self.separator = separator
    }

    /// The wire form of a Unicode name: modified UTF-7, or raw UTF-8 when the server has
    /// enabled UTF8=ACCEPT.
    public init(_ name: MailboxName, utf8: Bool = false) {
        self.init(wire: Array(utf8 ? name.name.utf8 : name.modifiedUTF7.utf8), separator: name.separator)
    }

    /// `INBOX` (case-insensitive on every server).
    public static let inbox = MailboxPath(wire: Array("INBOX".utf8), separator: nil)

    /// Decodes the name; throws ``ModifiedUTF7/DecodingError`` if the server's bytes are not
    /// valid in the current mode.
    public func decoded(utf8: Bool = false) throws -> MailboxName {
        try MailboxName(wire: wire, separator: separator, utf8: utf8)
    }

    /// True when the wire name is `INBOX` in any case.
    public var isInbox: Bool { wire.count == 5 && String(decoding: wire, as: UTF8.self).uppercased() == "INBOX" }

    /// The wire bytes as text for diagnostics. Folder names can be personal data: callers log
    /// this at `debug` or below.
    public var description: String { String(decoding: wire, as: UTF8.self) }
}
