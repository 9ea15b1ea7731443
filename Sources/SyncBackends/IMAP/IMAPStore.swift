public import IMAPClient
import IMAPCodec
public import Logging
public import SyncEngine

/// An IMAP account as a sync source or destination: every session is a new logged-in
/// connection (STARTTLS or implicit TLS as the endpoint says), closed when the session ends.
public struct IMAPStore: SourceStore, DestinationStore {
    public var endpoint: IMAPEndpoint
    public var configuration: IMAPClientConfiguration
    public var login: IMAPLogin
    public var logger: Logger

    public init(endpoint: IMAPEndpoint, configuration: IMAPClientConfiguration = IMAPClientConfiguration(), login: IMAPLogin, logger: Logger) {
        self.endpoint = endpoint
        self.configuration = configuration
        self.login = login
        self.logger = logger
    }

    public var displayName: String {
        let scheme = endpoint.security == .implicitTLS ? "imaps" : "imap"
        let host = endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host
        return "\(scheme)://\(login.user)@\(host):\(endpoint.port)"
    }

    /// APPEND assigns new UIDs.
    public var preservesSourceUIDs: Bool { false }

    public func withSession<T: Sendable>(_ body: (any MailboxReader) async throws -> T) async throws -> T {
        try await open { try await body($0) }
    }

    public func withSession<T: Sendable>(_ body: (any MailboxWriter) async throws -> T) async throws -> T {
        try await open { try await body($0) }
    }

    private func open<T: Sendable>(_ body: (IMAPMailboxSession) async throws -> T) async throws -> T {
        do {
            return try await IMAPConnection.withAuthenticatedConnection(
                to: endpoint, configuration: configuration, logger: logger, credentials: login.credentials
            ) { connection in
                try await body(IMAPMailboxSession(connection: connection, user: login.user))
            }
        } catch let error as IMAPClientError {
            throw StoreError(imap: error)
        }
    }
}
