import MailModel

/// `store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))`.
public struct StoreOperation: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// `+FLAGS`: add these flags.
        case add
        /// `-FLAGS`: remove these flags.
        case remove
        /// `FLAGS`: replace all flags with these.
        case replace
    }

    public var kind: Kind
    public var flags: [Flag]
    /// `.SILENT`: the server does not echo the new flags.
    public var silent: Bool

    public init(_ kind: Kind, flags: [Flag], silent: Bool = true) {
        self.kind = kind
        self.flags = flags
        self.silent = silent
    }
}
