import IMAPCodec
import Logging

extension IMAPConnection {
    /// The one way mailferry opens an account: connect (implicit TLS or STARTTLS as the
    /// endpoint says), read the capabilities if the greeting had none, and authenticate with
    /// the credentials for what the server offers (a master user logs in with SASL PLAIN
    /// when there is AUTH=PLAIN, else `LOGIN user*master`); then `body`, then close.
    public static func withAuthenticatedConnection<Result>(
        to endpoint: IMAPEndpoint,
        configuration: IMAPClientConfiguration = IMAPClientConfiguration(),
        logger: Logger,
        credentials: (_ serverOffersPlain: Bool) throws -> IMAPCredentials,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (IMAPConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await withConnection(to: endpoint, configuration: configuration, logger: logger, isolation: isolation) { connection in
            if connection.capabilities.isEmpty { try await connection.refreshCapabilities() }
            try await connection.authenticate(try credentials(connection.capabilities.contains(.auth("PLAIN"))))
            return try await body(connection)
        }
    }
}
