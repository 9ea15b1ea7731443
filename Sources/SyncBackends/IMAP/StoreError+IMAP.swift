import IMAPClient
import IMAPCodec
import SyncEngine

extension StoreError {
    /// Classifies an IMAP failure for the engine: retry, stop the account, or give up on the folder.
    init(imap error: IMAPClientError) {
        let message = error.description
        switch error.kind {
        case .loginRefused:
            self.init(.authentication, message)
        case .commandFailed(let command, let response):
            switch command {
            case "SELECT", "EXAMINE", "CREATE", "STATUS":
                self.init(.folder, message)
            default:
                self.init(response.status == .bad ? .protocolViolation : .other, message)
            }
        case .serverClosed, .connectionClosed, .timeout, .connectFailed:
            self.init(.connection, message)
        case .tls, .plaintextNotAllowed:
            self.init(.security, message)
        case .invalidResponse, .protocolViolation:
            self.init(.protocolViolation, message)
        case .unsupported, .loginUnavailable, .invalidArgument, .appendSizeMismatch:
            self.init(.other, message)
        }
    }
}
