import Foundation

/// The shared test servers described by `.testbed/testbed.json`, written by
/// `scripts/testbed up`: a Courier "old" server and a Dovecot "new" server, each behind its
/// own Postfix, all on 127.0.0.1. Tests read every host, port, path and password file from
/// here; nothing is hard-coded.
///
/// Find it with ``Testbed/require()`` inside a test that carries the ``Testing/Trait/requiresTestbed``
/// trait, and create isolated accounts with ``makeAccount(prefix:)``.
public struct Testbed: Sendable, Decodable {
    /// Version of the testbed.json layout; bumped when a field changes meaning.
    public let schemaVersion: Int
    /// The state directory (configs, logs, mail, certificates, password files).
    public let stateDir: String
    /// Absolute path of the `scripts/testbed` that manages this testbed.
    public let script: String
    /// PEM file of the CA that signed both servers' certificates (SAN IP:127.0.0.1, localhost).
    public let caFile: String
    /// Courier-IMAP + Postfix with shell users and `~/Maildir` (Maildir++).
    public let old: TestbedServer
    /// Dovecot + Postfix (LMTP) with passwd-file users and a master user.
    public let new: TestbedServer
    /// The accounts that exist on both servers, as of when the file was written.
    public let users: [TestbedUser]

    /// The layout version this code understands.
    public static let supportedSchemaVersion = 1

    /// Decodes a testbed.json document.
    public static func load(from url: URL) throws -> Testbed {
        let data = try Data(contentsOf: url)
        let testbed = try JSONDecoder().decode(Testbed.self, from: data)
        guard testbed.schemaVersion == supportedSchemaVersion else {
            throw TestbedUnavailable(
                reason: "\(url.path) has schemaVersion \(testbed.schemaVersion), this code reads \(supportedSchemaVersion)")
        }
        return testbed
    }

    /// A base or previously added user by name.
    public func user(_ name: String) throws -> TestbedUser {
        guard let user = users.first(where: { $0.name == name }) else {
            throw TestbedUnavailable(reason: "no user \(name) in \(stateDir)/testbed.json")
        }
        return user
    }
}
