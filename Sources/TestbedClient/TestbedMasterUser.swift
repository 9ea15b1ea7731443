import Foundation

/// Dovecot's master user: `LOGIN "<user><separator><name>" <password>` acts as `<user>`.
public struct TestbedMasterUser: Sendable, Decodable {
    public let name: String
    public let passwordFile: String
    /// Between the target user and the master user's name in the login name (`*`).
    public let separator: String

    /// The login name that acts as `user` with this master user's password.
    public func loginName(actingAs user: String) -> String {
        user + separator + name
    }

    /// The password, read from its file (the first line, without its newline).
    public func password() throws -> String {
        try TestbedUser.readPassword(at: passwordFile)
    }
}
