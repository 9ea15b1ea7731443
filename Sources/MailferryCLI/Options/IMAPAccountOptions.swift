import ArgumentParser
import Foundation
import IMAPClient
import MailModel
import NIOCore

/// Connection and login flags for a command that talks to one IMAP account (`imap probe`).
/// Commands with two accounts (`sync`, `verify`) build the same ``IMAPAccountSpec`` from
/// their own prefixed flags.
struct IMAPAccountOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("imap://user@host[:port] (STARTTLS) or imaps://user@host[:port] (TLS).", valueName: "url"))
    var url: String

    @Option(help: ArgumentHelp("File whose first line is the password (else $MAILFERRY_PASSWORD).", valueName: "file"))
    var passwordFile: String?

    @Option(help: ArgumentHelp("Log in as this master/admin user on behalf of the URL's user (Dovecot master user: SASL PLAIN authorization, or LOGIN user*master).", valueName: "name"))
    var masterUser: String?

    @Option(help: ArgumentHelp("File with the master user's password (else $MAILFERRY_MASTER_PASSWORD).", valueName: "file"))
    var masterPasswordFile: String?

    @Option(help: ArgumentHelp("Separator for LOGIN user<sep>master when the server has no AUTH=PLAIN.", valueName: "char"))
    var masterSeparator: String = "*"

    @Option(help: ArgumentHelp("PEM file of CA certificates to trust instead of the system's.", valueName: "file"))
    var caFile: String?

    @ArgumentParser.Flag(help: "Do not verify the server's certificate (lab use only).")
    var insecure = false

    @ArgumentParser.Flag(help: "imap:// without TLS (no STARTTLS).")
    var noStarttls = false

    @ArgumentParser.Flag(help: "Allow sending a password without TLS to a host that is not loopback.")
    var allowPlaintext = false

    @Option(help: ArgumentHelp("Seconds without progress before a step times out.", valueName: "seconds"))
    var timeout: Int = 120

    func validate() throws {
        _ = try IMAPURL(parsing: url)
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard masterSeparator.count == 1 else { throw ValidationError("--master-separator must be one character") }
        if masterPasswordFile != nil && masterUser == nil { throw ValidationError("--master-password-file needs --master-user") }
    }

    func spec() throws -> IMAPAccountSpec {
        IMAPAccountSpec(
            url: try IMAPURL(parsing: url),
            password: SecretSource(fileFlag: "--password-file", environmentVariable: "MAILFERRY_PASSWORD"), passwordFile: passwordFile,
            masterUser: masterUser,
            masterPassword: SecretSource(fileFlag: "--master-password-file", environmentVariable: "MAILFERRY_MASTER_PASSWORD"),
            masterPasswordFile: masterPasswordFile, masterSeparator: masterSeparator,
            tls: IMAPTLSOptions(caFile: caFile, insecure: insecure), startTLS: !noStarttls, allowPlaintext: allowPlaintext,
            timeoutSeconds: timeout
        )
    }
}

/// Everything needed to reach and log in to one IMAP account, independent of flag names.
struct IMAPAccountSpec: Sendable {
    var url: IMAPURL
    var password: SecretSource
    var passwordFile: String?
    var masterUser: String?
    var masterPassword: SecretSource
    var masterPasswordFile: String?
    var masterSeparator: String
    var tls: IMAPTLSOptions
    var startTLS: Bool
    var allowPlaintext: Bool
    var timeoutSeconds: Int

    var endpoint: IMAPEndpoint {
        let security: IMAPEndpoint.Security = url.scheme == .imaps ? .implicitTLS : (startTLS ? .startTLS : .none)
        return IMAPEndpoint(host: url.host, port: url.port, security: security, tls: tls, allowPlaintextAuthentication: allowPlaintext)
    }

    var configuration: IMAPClientConfiguration {
        IMAPClientConfiguration(responseTimeout: .seconds(Int64(timeoutSeconds)))
    }

    /// The credentials, loading the passwords now. With a master user: SASL PLAIN with the
    /// URL's user as authorization identity when the server offers AUTH=PLAIN, else
    /// `LOGIN user<sep>master`.
    func credentials(serverOffersPlain: Bool) throws -> IMAPCredentials {
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
