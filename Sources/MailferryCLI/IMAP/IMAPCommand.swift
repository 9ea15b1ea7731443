import ArgumentParser

/// `mailferry imap ...`: look at an IMAP account directly.
struct IMAPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imap",
        abstract: "Talk to one IMAP account directly (diagnostics).",
        subcommands: [IMAPProbeCommand.self]
    )
}
