import ArgumentParser

/// `mailferry config`: work with mailferry's own config files.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check mailferry's config files.",
        subcommands: [ConfigCheckCommand.self]
    )
}
