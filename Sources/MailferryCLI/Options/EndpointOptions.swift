import ArgumentParser

/// The flags that say where to copy from and to, shared by `sync` and `verify`. Passwords
/// come from files or environment variables, never from the command line.
struct EndpointOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The source: imap://user@host[:port] (STARTTLS), imaps://user@host[:port] (TLS), maildir:/path (a Courier Maildir, read directly).",
        valueName: "url"))
    var from: String?

    @Option(help: ArgumentHelp("The destination, as --from; maildir:/path writes a Dovecot Maildir directly, keeping UIDs.", valueName: "url"))
    var to: String?

    @Option(help: ArgumentHelp("File whose first line is the source password (else $MAILFERRY_FROM_PASSWORD).", valueName: "file"))
    var fromPasswordFile: String?

    @Option(help: ArgumentHelp("File whose first line is the destination password (else $MAILFERRY_TO_PASSWORD).", valueName: "file"))
    var toPasswordFile: String?

    @Option(help: ArgumentHelp("Log in to the source as this master user on behalf of the account (Dovecot).", valueName: "name"))
    var fromMasterUser: String?

    @Option(help: ArgumentHelp(
        "Log in to the destination as this master user on behalf of the account (Dovecot: SASL PLAIN, or LOGIN user*master).",
        valueName: "name"))
    var toMasterUser: String?

    @Option(help: ArgumentHelp("The source master user's password file (else $MAILFERRY_FROM_MASTER_PASSWORD).", valueName: "file"))
    var fromMasterPasswordFile: String?

    @Option(help: ArgumentHelp("The destination master user's password file (else $MAILFERRY_TO_MASTER_PASSWORD).", valueName: "file"))
    var toMasterPasswordFile: String?

    @Option(help: ArgumentHelp("PEM file of CA certificates to trust for both servers instead of the system's.", valueName: "file"))
    var caFile: String?

    @Flag(help: "Do not verify the servers' certificates (lab use only).")
    var insecure = false

    @Flag(help: "Do not use STARTTLS on imap:// URLs.")
    var noStarttls = false

    @Flag(help: "Allow sending passwords without TLS to hosts that are not loopback.")
    var allowPlaintext = false

    @Option(help: ArgumentHelp("Seconds without progress before a server step times out.", valueName: "seconds"))
    var timeout: Int = 120

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if fromMasterPasswordFile != nil, fromMasterUser == nil { throw ValidationError("--from-master-password-file needs --from-master-user") }
        if toMasterPasswordFile != nil, toMasterUser == nil { throw ValidationError("--to-master-password-file needs --to-master-user") }
    }
}
