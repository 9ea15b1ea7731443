import IMAPClient
import NIOCore
import MailModel

/// Everything needed to reach and log in to one IMAP account, independent of flag names.
public struct IMAPAccountSpec: Sendable {
    public var url: IMAPURL
    public var password: SecretSource
    public var passwordFile: String?
    public var masterUser: String?
    public var masterPassword: SecretSource
    public var masterPasswordFile: String?
    public var masterSeparator: String
    public var tls: IMAPTLSOptions
    public var startTLS: Bool
    public var allowPlaintext: Bool
    public var timeoutSeconds: Int

    public init(
        url: IMAPURL, password: SecretSource, passwordFile: String? = nil, masterUser: String? = nil, masterPassword: SecretSource,
        masterPasswordFile: String? = nil, masterSeparator: String = "*", tls: IMAPTLSOptions = IMAPTLSOptions(), startTLS: Bool = true,
        allowPlaintext: Bool = false, timeoutSeconds: Int = 120
    ) {
        self.url = url
        self.password = password
        self.passwordFile = passwordFile
        self.masterUser = masterUser
        self.masterPassword = masterPassword
        self.masterPasswordFile = masterPasswordFile
        self.masterSeparator = masterSeparator
        self.tls = tls
        self.startTLS = startTLS
        self.allowPlaintext = allowPlaintext
        self.timeoutSeconds = timeoutSeconds
    }

    public var endpoint: IMAPEndpoint {
        let security: IMAPEndpoint.Security = url.scheme == .imaps ? .implicitTLS : (startTLS ? .startTLS : .none)
        return IMAPEndpoint(host: url.host, port: url.port, security: security, tls: tls, allowPlaintextAuthentication: allowPlaintext)
    }

    public var configuration: IMAPClientConfiguration {
        IMAPClientConfiguration(responseTimeout: .seconds(Int64(timeoutSeconds)))
    }

    /// The credentials, loading the passwords now. With a master user: SASL PLAIN with the
    /// URL's user as authorization identity when the server offers AUTH=PLAIN, else
    /// `LOGIN user<sep>master`.
    public func credentials(serverOffersPlain: Bool) throws -> IMAPCredentials {
        guard let masterUser else {
            return .login(username: url.user, password: try password.load(file: passwordFile))
        }
        let secret = try masterPassword.load(file: masterPasswordFile)
        if serverOffersPlain {
            return .plain(authorizationIdentity: url.user, username: masterUser, password: secret)
        }
        return .login(username: url.user + masterSeparator + masterUser, password: secret)
    }
}
