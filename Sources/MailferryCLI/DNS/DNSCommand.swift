import ArgumentParser

/// `mailferry dns`: DNS questions around a move.
struct DNSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns",
        abstract: "Watch the domains' DNS change over to the new server.",
        subcommands: [DNSWatchCommand.self]
    )
}
