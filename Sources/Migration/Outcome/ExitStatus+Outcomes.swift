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
        switch errorKind {
        case .authentication: self = .authentication
        case .connection, .security: self = .connection
        case .folder, .protocolViolation, .other: self = .partial
        }
    }

    /// verify: the worst account.
    public init(_ report: VerifyReport) {
        self = .worst(report.accounts.map(ExitStatus.init))
    }

    /// A command on one IMAP account (`imap probe`, `mirror purge`) that the client stopped.
    public init(_ error: IMAPClientError) {
        switch error.kind {
        case .loginRefused, .loginUnavailable: self = .authentication
        case .plaintextNotAllowed, .invalidArgument: self = .usage
        case .commandFailed, .unsupported: self = .partial
        case .serverClosed, .connectionClosed, .timeout, .connectFailed, .tls, .invalidResponse, .protocolViolation, .appendSizeMismatch:
            self = .connection
        }
    }
}
