import ArgumentParser

/// `mailferry postfix`: generate, check, apply and undo the old server's settings.
struct PostfixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postfix",
        abstract: "Prepare the old Postfix for each migration phase, with a backup and an exact restore.",
        discussion: """
            Each subcommand works on one Postfix instance named by its configuration directory \
            (-c DIR, default /etc/postfix), prints what it would change, and changes it only with \
            --apply. `restore` puts back the settings saved by the last --apply.
            """,
        subcommands: [PostfixMirrorCommand.self, PostfixRestoreCommand.self]
    )
}
