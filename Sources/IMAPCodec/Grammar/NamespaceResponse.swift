/// `* NAMESPACE` (RFC 2342): the personal, other users' and shared namespaces.
/// `namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace`.
public struct NamespaceResponse: Hashable, Sendable {
    public var personal: [NamespaceDescription]
    public var otherUsers: [NamespaceDescription]
    public var shared: [NamespaceDescription]

    public init(personal: [NamespaceDescription], otherUsers: [NamespaceDescription], shared: [NamespaceDescription]) {
        self.personal = personal
        self.otherUsers = otherUsers
        self.shared = shared
    }
}

/// One namespace: its prefix (e.g. `INBOX.` on Courier, empty on Dovecot) and separator.
/// `namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) [namespace-response-extensions] ")"`.
public struct NamespaceDescription: Hashable, Sendable {
    /// The prefix as a mailbox path (wire bytes and separator).
    public var prefix: MailboxPath

    public init(prefix: MailboxPath) { self.prefix = prefix }

    public var separator: Character? { prefix.separator }
}
