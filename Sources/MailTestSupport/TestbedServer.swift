import Foundation

/// One side of the testbed: its IMAP and SMTP endpoints, mail domain and on-disk layout.
public struct TestbedServer: Sendable, Decodable {
    /// `courier` (old) or `dovecot` (new).
    public let software: String
    /// The mail domain this side's Postfix delivers: `old.test` or `new.test`.
    public let domain: String
    /// IMAP, plaintext with STARTTLS offered (`tls` is `starttls`).
    public let imap: TestbedEndpoint
    /// The Postfix smtpd that delivers `domain` into this side's mailboxes.
    public let smtp: TestbedEndpoint
    /// Dovecot's LMTP listener (new side only).
    public let lmtp: TestbedEndpoint?
    /// A user's home; `{user}` stands for the account name.
    public let homePattern: String
    /// A user's Maildir root; `{user}` stands for the account name.
    public let maildirPattern: String
    /// The Postfix instance's `config_directory` (use with `postfix -c`, `postconf -c`).
    public let postfixConfigDir: String
    /// Dovecot's config file (use with `doveadm -c`); new side only.
    public let dovecotConfig: String?
    /// The master user that can log in as anyone (`user*master`); new side only.
    public let masterUser: TestbedMasterUser?
    /// Directory of the servers' log files.
    public let logDir: String

    /// The Maildir root of `user` on this side.
    public func maildir(of user: String) -> String {
        maildirPattern.replacingOccurrences(of: "{user}", with: user)
    }

    /// The home directory of `user` on this side.
    public func home(of user: String) -> String {
        homePattern.replacingOccurrences(of: "{user}", with: user)
    }
}
