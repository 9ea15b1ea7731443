import ArgumentParser
import Migration

/// The root of the `mailferry` command tree. Subcommands only parse and wire: the work
/// happens in the library targets (see the README's module map).
public struct MailferryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mailferry",
        abstract: "Move a mail domain from one server to another with zero lost mail and minutes of downtime.",
        discussion: """
            A move, phase by phase (each a subcommand; `mailferry help <command>` for its options):
              plan      read-only preflight: DNS and TTLs, the decommission date, every account and address
              mirror    copy every incoming message to the new server while the old one stays in charge
              sync      copy mailboxes old -> new (IMAP or Maildir), incremental and resumable
              verify    prove per message (SHA-256 of the exact bytes) that everything arrived
              cutover   hold mail on the old server, final delta, switch, open, drain, prove nothing was lost

            From the cutover's open phase until decommission, on the old host:
              forward   relay IMAP, POP3 and submission to the new server, for clients with stale DNS

            Passwords are never taken on the command line: use --*-password-file or the
            MAILFERRY_*_PASSWORD environment variables.

            \(ExitStatus.helpTable)
            """,
        version: MailferryVersion.description,
        subcommands: [
            PlanCommand.self, SyncCommand.self, VerifyCommand.self, IMAPCommand.self, MirrorCommand.self, PostfixCommand.self,
            CutoverCommand.self, ForwardCommand.self, ConfigCommand.self, DNSCommand.self,
        ]
    )

    public init() {}
}
