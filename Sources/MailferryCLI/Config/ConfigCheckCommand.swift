import ArgumentParser
import Foundation
import MailferryConfig
import Migration

/// `mailferry config check FILE...`: validate config files before a run needs them.
struct ConfigCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate config files: a migration config (sync, verify, plan, cutover --config), a mirror config (mirror --config) or a forward config (forward --config).",
        discussion: """
            The kind is told from the tables: a migration config has [source] and [destination] \
            (examples/mailferry.toml), a mirror config [spool] and [destination] \
            (examples/mirror.toml), a forward config only [forward] (examples/forward.toml). Each file is read exactly as the command that uses it reads it: \
            TOML syntax, unknown or misspelt settings (named with their line), values of the \
            wrong type or missing (named with the setting), durations ("30s", "5m", "2h", "1d"), \
            settings that exclude each other. Every error starts with the file's name. Nothing is \
            contacted and nothing is written; passwords files are not read.

              mailferry config check /etc/mailferry/migration.toml /etc/mailferry/mirror.toml

            Prints one line per file; exits 0 when every file is valid, 64 when any is not.

            \(ExitStatus.helpTable)
            """
    )

    @Argument(help: ArgumentHelp("The config files to check.", valueName: "file"))
    var files: [String]

    func run() async throws {
        var failed = false
        for file in files {
            do {
                let kind = try ConfigFile.check(path: file)
                print("\(file): valid \(kind.rawValue) config")
            } catch {
                failed = true
                FileHandle.standardError.write(Data("mailferry config check: \(error)\n".utf8))
            }
        }
        if failed { throw ExitStatus.usage.exitCode }
    }
}
