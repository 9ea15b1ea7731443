import Logging
import Maildir
import MailferryConfig
import Relay
import SyncBackends
import SyncEngine

extension EndpointSpec {
    /// The store to copy from: IMAP, a Courier Maildir (default) or a Dovecot Maildir.
    public func makeSource(logger: Logger, context: MaildirContext) throws -> any SourceStore {
        guard isMaildir else { return try makeIMAPStore(logger: logger) }
        let parsed = try maildirURL()
        var logger = logger
        logger[metadataKey: "sync.side"] = "source"
        switch parsed.format ?? .courier {
        case .courier:
            var options = CourierMaildir.Options()
            if let utf8 = parsed.utf8 { options.folderNameDecoding = utf8 ? .utf8 : .modifiedUTF7 }
            options.settleSeconds = Int64(settleSeconds ?? 0)
            return CourierMaildirStore(
                root: parsed.path, options: options, ledger: CourierUIDLedgerStore(directory: context.ledgerDirectory),
                updatesLedger: context.updatesLedger, pop3Board: context.pop3Board, logger: logger)
        case .dovecot:
            return DovecotMaildirStore(root: parsed.path, layout: layout(parsed), logger: logger)
        }
    }

    /// The store to copy to: IMAP, or a Dovecot Maildir written directly (default).
    public func makeDestination(logger: Logger, context: MaildirContext) throws -> any DestinationStore {
        guard isMaildir else { return try makeIMAPStore(logger: logger) }
        let parsed = try maildirURL()
        guard parsed.format ?? .dovecot == .dovecot else {
            throw ConfigError("\(side.flagPrefix) \(url): mailferry writes Dovecot Maildirs only; to copy into Courier, use its IMAP (imap://user@old-host)")
        }
        let ownership = try givenOwnership()
        var logger = logger
        logger[metadataKey: "sync.side"] = "destination"
        return DovecotMaildirStore(
            root: parsed.path, layout: layout(parsed), owner: ownership,
            options: .init(overwriteUIDValidity: overwriteUIDValidity), pop3Board: context.pop3Board,
            mirrorCopies: try mirrorCopies(), logger: logger)
    }

    /// `--owner` parsed; nil when not given.
    func givenOwnership() throws -> MaildirOwnership? {
        guard let owner else { return nil }
        do {
            return try MaildirOwnership.parse(owner: owner)
        } catch {
            throw ConfigError("--owner \(owner): \(error.detail)")
        }
    }

    /// How the destination recognises the mirror's copies, from the mirror's key file.
    private func mirrorCopies() throws -> MirrorCopies? {
        guard let mirrorTagKeyFile else { return nil }
        let tag: MirrorTag
        do {
            tag = try MirrorTag.load(keyFile: mirrorTagKeyFile)
        } catch {
            throw ConfigError("--mirror-tag-key \(mirrorTagKeyFile): \(error)")
        }
        return MirrorCopies { header in tag.verifyHeader(header) != nil }
    }

    func maildirURL() throws -> MaildirURL {
        if passwordFile != nil || masterUser != nil {
            throw ConfigError("\(side.flagPrefix) \(url): a Maildir is read and written directly; it takes no password or master user")
        }
        do {
            return try MaildirURL(parsing: url)
        } catch {
            throw ConfigError("\(side.flagPrefix) \(error)")
        }
    }

    func layout(_ parsed: MaildirURL) -> DovecotLayout {
        var layout = DovecotLayout()
        if parsed.utf8 == true { layout.encoding = .utf8 }
        if let separator = parsed.separator { layout.namespaceSeparator = separator }
        if let prefix = parsed.prefix { layout.namespacePrefix = prefix }
        return layout
    }
}
