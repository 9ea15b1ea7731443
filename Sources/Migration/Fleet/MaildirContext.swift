import SyncBackends

/// What the Maildir stores of one account share: where the Courier source keeps the UIDs it
/// gave ahead of Courier (in the state directory), whether it may write them (not in
/// verify), and the board on which it hands INBOX's POP3 UIDLs to a Dovecot destination.
struct MaildirContext: Sendable {
    var ledgerDirectory: String
    var updatesLedger: Bool
    var pop3Board = POP3IdentityBoard()
}
