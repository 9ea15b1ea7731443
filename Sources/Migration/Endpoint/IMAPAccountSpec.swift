import Foundation
import IMAPClient
import NIOCore
import MailModel
import SyncBackends

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

    /// The login, loading the password now: the owner's, or with a master user the master
    /// user's, for the URL's user.
    public func login(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> IMAPLogin {
        guard let masterUser else {
            return IMAPLogin(user: url.user, password: try password.load(file: passwordFile, environment: environment))
        }
        return IMAPLogin(
            user: url.user, password: try masterPassword.load(file: masterPasswordFile, environment: environment), masterUser: masterUser,
            masterSeparator: masterSeparator)
    }

    /// The credentials, loading the passwords now; ``IMAPLogin`` chooses between SASL PLAIN
    /// and `LOGIN user<sep>master`.
    public func credentials(serverOffersPlain: Bool) throws -> IMAPCredentials {
        try login().credentials(serverOffersPlain: serverOffersPlain)
    }
}
