/// One `* LIST` or `* LSUB` response: `mailbox-list = "(" [mbx-list-flags] ")" SP
/// (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox [SP mbox-list-extended]`.
public struct MailboxInfo: Hashable, Sendable {
    public var attributes: [MailboxAttribute]
    /// The mailbox, with the separator from this response.
    public var path: MailboxPath
    /// Names of LIST-EXTENDED extension items (e.g. `CHILDINFO`), values not kept.
    public var extensionNames: [String]

    public init(attributes: [MailboxAttribute], path: MailboxPath, extensionNames: [String] = []) {
        self.attributes = attributes
        self.path = path
        self.extensionNames = extensionNames
    }

    /// The mailbox can be selected (no `\Noselect` / `\NonExistent`).
    public var isSelectable: Bool { !attributes.contains(where: \.preventsSelect) }

    /// The special-use attributes (RFC 6154) of this mailbox.
    public var specialUse: [MailboxAttribute] { attributes.filter(\.isSpecialUse) }
}
