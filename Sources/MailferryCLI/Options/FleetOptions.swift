import ArgumentParser

/// Many accounts and how hard to work: shared by `sync` and `verify`.
struct FleetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A TOML file with both servers and the accounts (see examples/mailferry.toml).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Only this account of the config file (repeatable).", valueName: "user"))
    var account: [String] = []

    @Option(help: ArgumentHelp("Accounts worked on at the same time (default 1, or the config's).", valueName: "n"))
    var jobs: Int?

    @Option(help: ArgumentHelp("Connections open to each server at once, across all accounts (default 4).", valueName: "n"))
    var maxConnectionsPerServer: Int?

    @Option(help: ArgumentHelp("Folders of one account worked on at the same time (default 2; 3 from a Courier Maildir into a Dovecot Maildir).", valueName: "n"))
    var foldersInParallel: Int?

    @Option(help: ArgumentHelp("The state directory: the journal that makes re-runs incremental (default .mailferry).", valueName: "dir"))
    var state: String?

    func validate() throws {
        for (flag, value) in [("--jobs", jobs), ("--max-connections-per-server", maxConnectionsPerServer),
                              ("--folders-in-parallel", foldersInParallel)] {
            if let value, value < 1 { throw ValidationError("\(flag) must be at least 1") }
        }
        if !account.isEmpty, config == nil { throw ValidationError("--account selects accounts of a --config file") }
    }
}
