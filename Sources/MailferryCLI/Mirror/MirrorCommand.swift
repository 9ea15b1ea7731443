import ArgumentParser
import Migration

/// `mailferry mirror`: the shadow SMTP endpoint and its tools.
struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Copy every incoming message to the new server while the old one stays in charge.",
        discussion: """
            The old Postfix keeps delivering as before and also sends a bcc copy of every message \
            to a shadow domain (see `mailferry postfix mirror`). That domain is routed to this \
            endpoint, which accepts only the configured shadow domains, rewrites them back to the \
            real domain, puts its tag (`X-Mailferry-Mirror: <id>; mac=...`, verifiable with the \
            key in the spool directory) and a Received: line on top, spools the copy durably, \
            relays it to the new server with retries and its own envelope sender, and records \
            the new server's verdict for every recipient. A copy never causes a bounce to the \
            sender; the new server's notifications to the mirror's bounce address are recorded.

              mailferry mirror --config FILE          run the endpoint (SIGTERM stops it)
              mailferry mirror queue --config FILE    what waits, and why
              mailferry mirror report --config FILE   the new server's verdicts
              mailferry mirror purge imap://u@new --spool DIR   remove verified copies before the sync

            See examples/mirror.toml for every setting.
            """,
        subcommands: [MirrorRunCommand.self, MirrorQueueCommand.self, MirrorReportCommand.self, MirrorPurgeCommand.self],
        defaultSubcommand: MirrorRunCommand.self
    )
}
