import IMAPClient
import Logging

/// Courier, under the whole test suite's parallel load, now and then drops a connection
/// during STARTTLS, before any LOGIN (its log then shows "Disconnected ... starttls=1" with
/// no LOGIN line). The product retries such failures (sync's workers, verify's accounts);
/// these tests retry too, but only a connection that failed before logging in.
func withLoggedInConnection<R>(
    to endpoint: IMAPEndpoint, logger: Logger, login: (IMAPConnection) async throws -> Void,
    _ body: (IMAPConnection) async throws -> sending R
) async throws -> sending R {
    var attempt = 1
    while true {
        var loggedIn = false
        do {
            return try await IMAPConnection.withConnection(to: endpoint, logger: logger) { connection in
                try await login(connection)
                loggedIn = true
                return try await body(connection)
            }
        } catch let error as IMAPClientError {
            guard !loggedIn, attempt < 3, case .connectionClosed = error.kind else { throw error }
            // At once: the drop is Courier's, at random, not a state a pause would see pass.
            attempt += 1
        }
    }
}
