import ArgumentParser

/// `--test-to` and friends: send a test message through the old server after --apply.
struct PostfixTestMessageOptions: ParsableArguments {
    @Option(name: .long, help: "After --apply, send a test message to this address through the old server.")
    var testTo: String?

    @Option(name: .long, help: "The old server's SMTP listener (default: the first smtpd in master.cf).")
    var smtp: String?

    @Option(name: .long, help: "The mirror's spool directory: wait for the copy and show the new server's verdict.")
    var mirrorSpool: String?

    @Option(name: .long, help: "Seconds to wait for the copy.")
    var wait: Int = 30
}
