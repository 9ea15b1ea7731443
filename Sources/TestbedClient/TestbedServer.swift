import Foundation

/// One side of the testbed: its IMAP and SMTP endpoints, mail domain and on-disk layout.
public struct TestbedServer: Sendable, Decodable {
    /// `courier` (old) or `dovecot` (new).
    public let software: String
    /// The mail domain this side's Postfix delivers: `old.test` or `new.test`.
    public let domain: String
    /// IMAP, plaintext with STARTTLS offered (`tls` is `starttls`).
    public let imap: TestbedEndpoint
    /// POP3, plaintext with STLS offered: Courier's pop3d (old), Dovecot's pop3 (new). Nil
    /// when the testbed was started by a scripts/testbed that predates POP3; use
    /// ``requirePOP3()``.
    public let pop3: TestbedEndpoint?
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
    /// The system user that owns every Maildir of this side (new side: `tbvmail`); old-side
    /// Maildirs belong to their shell users.
    public let mailOwner: String?
    /// Dovecot's `pop3_uidl_format`, used for messages whose dovecot-uidlist record has no
    /// `P<uidl>` (new side only; `%08Xu%08Xv`).
    public let pop3UIDLFormat: String?
    /// The quota backend of Dovecot's quota plugin (`count`); limits are per user
    /// (``TestbedUser/quota``). New side only.
    public let quotaBackend: String?
    /// The master user that can log in as anyone (`user*master`); new side only.
    public let masterUser: TestbedMasterUser?
    /// Directory of the servers' log files.
    public let logDir: String

    /// The POP3 endpoint, or an error that says the running testbed is too old to have one.
    public func requirePOP3() throws -> TestbedEndpoint {
        guard let pop3 else {
            throw TestbedUnavailable(
                reason: "the \(software) side has no POP3 in testbed.json: the running testbed was started by an older scripts/testbed; restart it with this one (scripts/testbed down; scripts/testbed up)")
        }
        return pop3
    }

    /// The Maildir root of `user` on this side.
    public func maildir(of user: String) -> String {
        maildirPattern.replacingOccurrences(of: "{user}", with: user)
    }

    /// The home directory of `user` on this side.
    public func home(of user: String) -> String {
        homePattern.replacingOccurrences(of: "{user}", with: user)
    }
}
