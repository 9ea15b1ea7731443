public import MailModel

/// How the destination Dovecot stores folders: Maildir++ on disk (`.a.b` under the
/// Maildir root, INBOX in the root), names in modified UTF-7 unless configured with
/// `:UTF-8` (2.3) or `mailbox_list_utf8 = yes` (2.4), and a namespace whose prefix and
/// separator decide how clients see the names.
///
/// The on-disk form depends only on the levels and the encoding; the namespace only maps
/// IMAP names to levels. Courier's `INBOX.Archive.2019` and Dovecot's `Archive/2019` (the
/// testbed's namespace: separator `/`, no prefix) are both `.Archive.2019` on disk.
public struct DovecotLayout: Hashable, Sendable {
    public var encoding: FolderNameEncoding
    /// The inbox namespace prefix: `""` or `"INBOX."`.
    public var namespacePrefix: String
    /// The inbox namespace separator: `/` or `.`.
    public var namespaceSeparator: Character
    /// Format of a new `subscriptions` file (an existing one keeps its own).
    public var subscriptionsFormat: DovecotSubscriptions.Format

    public init(
        encoding: FolderNameEncoding = .modifiedUTF7, namespacePrefix: String = "", namespaceSeparator: Character = "/",
        subscriptionsFormat: DovecotSubscriptions.Format = .version2
    ) {
        self.encoding = encoding
        self.namespacePrefix = namespacePrefix
        self.namespaceSeparator = namespaceSeparator
        self.subscriptionsFormat = subscriptionsFormat
    }

    /// Debian's recommendation for a Courier migration: `prefix = INBOX.`, `separator = .`.
    public static let courierCompatible = DovecotLayout(namespacePrefix: "INBOX.", namespaceSeparator: ".")

    /// The folder directory name for `levels` (`nil` for INBOX, the root).
    public func directoryName(levels: [String]) throws(MaildirError) -> String? {
        guard !levels.isEmpty else { return nil }
        return try MaildirFolderName.directoryName(levels: levels, encoding: encoding)
    }

    /// The subscription entry for `levels`: encoded levels, `["INBOX"]` for INBOX.
    public func subscriptionEntry(levels: [String]) throws(MaildirError) -> [String] {
        guard !levels.isEmpty else { return ["INBOX"] }
        var encoded: [String] = []
        for level in levels { encoded.append(try MaildirFolderName.encode(level: level, encoding: encoding)) }
        return encoded
    }

    /// Decode a subscription entry back to levels (`[]` for INBOX).
    public func levels(subscriptionEntry entry: [String]) throws(MaildirError) -> [String] {
        if entry == ["INBOX"] { return [] }
        let decoded = try MaildirFolderName.decode(
            name: entry.joined(separator: "."), decoding: encoding == .utf8 ? .utf8 : .modifiedUTF7, path: DovecotSubscriptions.fileName)
        return decoded.levels
    }

    /// The levels of an IMAP name in this namespace (`[]` for INBOX).
    public func levels(of name: MailboxName) throws(MaildirError) -> [String] {
        if name.isInbox { return [] }
        guard name.name.hasPrefix(namespacePrefix) else {
            throw MaildirError(.unrepresentableFolderName, path: name.name, detail: "not in the namespace '\(namespacePrefix)'")
        }
        let rest = String(name.name.dropFirst(namespacePrefix.count))
        let levels = rest.split(separator: namespaceSeparator, omittingEmptySubsequences: false).map(String.init)
        guard !levels.contains(where: \.isEmpty) else {
            throw MaildirError(.unrepresentableFolderName, path: name.name, detail: "empty level")
        }
        return levels
    }

    /// The IMAP name clients see for `levels`.
    public func mailboxName(levels: [String]) -> MailboxName {
        guard !levels.isEmpty else { return .inbox(separator: namespaceSeparator) }
        return MailboxName(namespacePrefix + levels.joined(separator: String(namespaceSeparator)), separator: namespaceSeparator)
    }
}
