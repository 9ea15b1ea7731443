import IMAPClient
import SyncEngine
import Verify

/// Every outcome a command can end with, mapped to its exit status here and nowhere else.
extension ExitStatus {
    /// sync: one account's outcome.
    public init(_ outcome: AccountReport.Outcome) {
        switch outcome {
        case .complete: self = .success
        // Deferred mail is not on the destination yet: not a success, as for a refused message.
        case .partial, .deferred, .failed: self = .partial
        case .planRefused: self = .planRefused
        case .authenticationFailed: self = .authentication
        case .connectionFailed: self = .connection
        }
    }

    /// verify: one account's comparison, or the error that stopped it.
    public init(_ account: AccountVerification) {
        guard let errorKind = account.errorKind else {
            self = account.isIdentical ? .success : account.isIntact ? .differences : .partial
            return
        }
        switch StoreError.Kind(rawValue: errorKind) {
        case .authentication?: self = .authentication
        case .connection?, .security?: self = .connection
        case .folder?, .protocolViolation?, .other?, nil: self = .partial
        }
    }

    /// verify: the worst account.
    public init(_ report: VerifyReport) {
        self = .worst(report.accounts.map(ExitStatus.init))
    }

    /// A command on one IMAP account (`imap probe`, `mirror purge`) that the client stopped.
    public init(_ error: IMAPClientError) {
        switch error.kind {
        case .commandFailed(let command, _) where command == "LOGIN" || command == "AUTHENTICATE": self = .authentication
        case .plaintextNotAllowed, .invalidArgument: self = .usage
        // The mechanisms the login step needs (IMAPConnection.authenticate), missing on the server.
        case .unsupported(let what) where what.hasPrefix("AUTH") || what.hasPrefix("LOGIN"): self = .authentication
        case .commandFailed, .unsupported: self = .partial
        case .serverClosed, .connectionClosed, .timeout, .connectFailed, .tls, .invalidResponse, .protocolViolation, .appendSizeMismatch:
            self = .connection
        }
    }
}
