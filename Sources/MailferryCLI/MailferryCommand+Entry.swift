import ArgumentParser

extension MailferryCommand {
    /// Parses the command line and runs the chosen command, async all the way. (A plain
    /// `await MailferryCommand.main()` in main.swift resolved to ParsableCommand's
    /// synchronous main, which refuses an async command tree.)
    public static func runFromCommandLine() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await Self.runAsync(&asyncCommand)
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    private static func runAsync(_ command: inout any AsyncParsableCommand) async throws {
        try await command.run()
    }
}
