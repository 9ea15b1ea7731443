/// A server capability (RFC 3501 §7.2.1), e.g. `IMAP4rev1`, `LITERAL+`, `AUTH=PLAIN`.
///
/// Open struct: servers advertise capabilities this code has never heard of. Compared
/// case-insensitively; keeps the server's spelling.
public struct Capability: Hashable, Sendable, CustomStringConvertible {
    /// The capability as sent, e.g. `AUTH=PLAIN`.
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The part before `=` (`AUTH` for `AUTH=PLAIN`), uppercased.
    public var name: String {
        String(normalized.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }

    /// The part after `=` (`PLAIN` for `AUTH=PLAIN`), or `nil`.
    public var value: String? {
        guard let index = rawValue.firstIndex(of: "=") else { return nil }
        return String(rawValue[rawValue.index(after: index)...])
    }

    public var description: String { rawValue }

    public static func == (lhs: Capability, rhs: Capability) -> Bool { lhs.normalized == rhs.normalized }
    public func hash(into hasher: inout Hasher) { hasher.combine(normalized) }
    private var normalized: String { rawValue.uppercased() }

    /// `AUTH=<mechanism>`.
    public static func auth(_ mechanism: String) -> Capability { Capability("AUTH=\(mechanism)") }

    public static let imap4rev1 = Capability("IMAP4rev1")
    public static let imap4rev2 = Capability("IMAP4rev2")
    public static let startTLS = Capability("STARTTLS")
    public static let loginDisabled = Capability("LOGINDISABLED")
    public static let saslIR = Capability("SASL-IR")
    public static let literalPlus = Capability("LITERAL+")
    public static let literalMinus = Capability("LITERAL-")
    public static let uidPlus = Capability("UIDPLUS")
    public static let multiAppend = Capability("MULTIAPPEND")
    public static let namespace = Capability("NAMESPACE")
    public static let enable = Capability("ENABLE")
    public static let id = Capability("ID")
    public static let idle = Capability("IDLE")
    public static let children = Capability("CHILDREN")
    public static let specialUse = Capability("SPECIAL-USE")
    public static let createSpecialUse = Capability("CREATE-SPECIAL-USE")
    public static let listExtended = Capability("LIST-EXTENDED")
    public static let listStatus = Capability("LIST-STATUS")
    public static let condStore = Capability("CONDSTORE")
    public static let qresync = Capability("QRESYNC")
    public static let move = Capability("MOVE")
    public static let unselect = Capability("UNSELECT")
    public static let binary = Capability("BINARY")
    public static let utf8Accept = Capability("UTF8=ACCEPT")
    public static let utf8Only = Capability("UTF8=ONLY")
}
