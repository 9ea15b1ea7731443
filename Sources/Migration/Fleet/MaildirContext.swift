import SyncBackends

/// What the Maildir stores of one account share: where the Courier source keeps the UIDs it
/// gave ahead of Courier (in the state directory), whether it may write them (not in
/// verify), and the board on which it hands INBOX's POP3 UIDLs to a Dovecot destination.
public struct MaildirContext: Sendable {
    public var ledgerDirectory: String
    public var updatesLedger: Bool
    public var pop3Board = POP3IdentityBoard()
}
