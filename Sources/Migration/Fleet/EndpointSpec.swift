import IMAPClient
import Logging
import MailferryConfig
import MailModel
import NIOCore
import SyncBackends
import SyncEngine

/// One side of one account, fully resolved from flags and config: where, who, and where the
/// password comes from. Turning it into a store loads the password (once, here, so a missing
/// password is a usage error before anything starts).
public struct EndpointSpec: Sendable {
    public enum Side: String, Sendable {
        case source = "FROM"
        case destination = "TO"
        public var flagPrefix: String { self == .source ? "--from" : "--to" }
    }

    public var side: Side
    /// `imap://user@host:port`, `imaps://…` or `maildir:/path[?format=…]`.
    public var url: String
    public var passwordFile: String?
    public var masterUser: String?
    public var masterPasswordFile: String?
    public var tls: IMAPTLSOptions
    public var startTLS: Bool
    public var allowPlaintext: Bool
    public var timeoutSeconds: Int
    /// Owner of what a Maildir destination writes (`--owner`).
    public var owner: String? = nil
    /// A Maildir destination replaces a folder's other UIDVALIDITY (`--overwrite-uidvalidity`).
    public var overwriteUIDValidity = false
    /// The mirror's tag key file (`--mirror-tag-key`): a Maildir destination keeps the
    /// mirror's copies out of the source's UID space (see ``MirrorCopies``).
    public var mirrorTagKeyFile: String? = nil
    /// A Courier Maildir source defers recent unnumbered messages (`--settle`).
    public var settleSeconds: Int? = nil

    public var isMaildir: Bool { MaildirURL.isMaildir(url) }

    /// The IMAP store for this side, with its password loaded.
    public func makeIMAPStore(logger: Logger) throws -> IMAPStore {
        let parsed: IMAPURL
        do { parsed = try IMAPURL(parsing: url) } catch { throw ConfigError("\(side.flagPrefix) \(error)") }
        let spec = IMAPAccountSpec(
            url: parsed,
            password: SecretSource(fileFlag: "\(side.flagPrefix)-password-file", environmentVariable: "MAILFERRY_\(side.rawValue)_PASSWORD"),
            passwordFile: passwordFile, masterUser: masterUser,
            masterPassword: SecretSource(
                fileFlag: "\(side.flagPrefix)-master-password-file", environmentVariable: "MAILFERRY_\(side.rawValue)_MASTER_PASSWORD"),
            masterPasswordFile: masterPasswordFile, tls: tls, startTLS: startTLS, allowPlaintext: allowPlaintext,
            timeoutSeconds: timeoutSeconds)
        let login = try spec.login()
        var logger = logger
        logger[metadataKey: "sync.side"] = "\(side == .source ? "source" : "destination")"
        return IMAPStore(
            endpoint: spec.endpoint, configuration: spec.configuration, login: login, logger: logger)
    }
}
