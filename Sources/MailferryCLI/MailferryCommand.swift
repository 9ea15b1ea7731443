import ArgumentParser
import Migration

/// The root of the `mailferry` command tree. Subcommands only parse and wire: the work
/// happens in the library targets (see the README's module map).
public struct MailferryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mailferry",
        abstract: "Move a mail domain from one server to another with zero lost mail and minutes of downtime.",
        discussion: """
            Before the move, `mailferry plan` checks read-only what it depends on (DNS, TTLs,
            the decommission date, every account on both servers).

            A migration has four phases, each a subcommand once it lands:
              mirror    copy every incoming message to the new server while the old one stays in charge
              sync      copy mailboxes old -> new (IMAP or Maildir), incremental and resumable
              verify    prove per message (SHA-256 of the exact bytes) that everything arrived
              cutover   hold mail on the old server, final delta, relay to the new one, prove nothing was lost

            Passwords are never taken on the command line: use --*-password-file or the
            MAILFERRY_*_PASSWORD environment variables.

            \(ExitStatus.helpTable)
            """,
        version: MailferryVersion.description,
        subcommands: [SyncCommand.self, VerifyCommand.self, IMAPCommand.self, MirrorCommand.self, PostfixCommand.self, ConfigCommand.self, PlanCommand.self]
    )

    public init() {}
}
