import ArgumentParser
import IMAPClient
import Migration

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
        // `mirror purge` also takes a Dovecot Maildir; `imap probe` refuses one itself.
        if !MaildirURL.isMaildir(url) { _ = try IMAPURL(parsing: url) }
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
